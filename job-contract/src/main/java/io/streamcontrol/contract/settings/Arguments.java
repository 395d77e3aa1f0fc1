package io.streamcontrol.contract.settings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Command-line options of the form {@code --name value} or {@code --name=value}, checked against known names. */
public final class Arguments {

    private Arguments() {
    }

    public static Map<String, String> parse(String[] args, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new InvalidSettingException(arg, "expected an option of the form --name value");
            }
            String name;
            String value;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                name = arg.substring(2, equals);
                value = arg.substring(equals + 1);
            } else {
                name = arg.substring(2);
                if (i + 1 >= args.length) {
                    throw new InvalidSettingException(name, "has no value");
                }
                value = args[++i];
            }
            if (!known.contains(name)) {
                throw new InvalidSettingException(name, "is not a known setting; known settings: " + String.join(", ", known));
            }
            values.put(name, value);
        }
        return values;
    }
}
