package dev.apistep.infra;

import dev.apistep.pipeline.StepConfig;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** The environment variables the function reads: one per property of {@link StepConfig} (SmallRye's naming). */
final class ConfigEnvironment {

    private ConfigEnvironment() {
    }

    static Set<String> variables() {
        return variables(StepConfig.class, "API_STEP_");
    }

    private static Set<String> variables(Class<?> mapping, String prefix) {
        Set<String> names = new HashSet<>();
        for (Method method : mapping.getDeclaredMethods()) {
            String name = prefix + method.getName().replaceAll("([A-Z])", "_$1").toUpperCase(Locale.ROOT);
            if (method.getReturnType().isInterface() && method.getReturnType().getEnclosingClass() == StepConfig.class) {
                names.addAll(variables(method.getReturnType(), name + "_"));
            } else {
                names.add(name);
            }
        }
        return names;
    }
}
