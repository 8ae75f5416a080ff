package dev.apistep.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.contract.ContractCases;
import dev.apistep.support.LambdaEvents;
import io.quarkus.test.junit.QuarkusTest;

/** The contract's cases through the Lambda event path (Quarkus' mock event server). */
@QuarkusTest
class LambdaContractTest extends ContractCases {

    @Override
    protected JsonNode invokeRaw(String event) {
        return LambdaEvents.invokeRaw(event);
    }
}
