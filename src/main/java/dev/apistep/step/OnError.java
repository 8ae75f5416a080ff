package dev.apistep.step;

/** What an error does to the flow: the failure branch, carry on as success, or end the flow. */
public enum OnError {
    FAILURE, CONTINUE, STOP
}
