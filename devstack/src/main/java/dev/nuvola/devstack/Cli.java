package dev.nuvola.devstack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The launcher's command line: {@code COMMAND [--flag] [--option VALUE] [--option=VALUE]}. A {@code --name}
 * followed by a word that does not start with "--" takes it as its value; otherwise it is a flag. So no command
 * has to declare its options up front; each one checks the names it got with {@link #allowOnly}.
 */
public record Cli(String command, Map<String, String> options, Set<String> flags) {

    public static Cli parse(String... args) {
        if (args.length == 0 || args[0].startsWith("--")) {
            return new Cli(args.length == 0 ? "" : args[0].replaceFirst("^--", ""), Map.of(), Set.of());
        }
        Map<String, String> options = new HashMap<>();
        Set<String> flags = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            int equals = name.indexOf('=');
            if (equals >= 0) {
                options.put(name.substring(0, equals), name.substring(equals + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                options.put(name, args[++i]);
            } else {
                flags.add(name);
            }
        }
        return new Cli(args[0], Map.copyOf(options), Set.copyOf(flags));
    }

    /** Rejects names the command does not know, so that a typo fails instead of being ignored. */
    public void allowOnly(String... names) {
        List<String> unknown = new ArrayList<>();
        Set<String> known = Set.of(names);
        options.keySet().stream().filter(name -> !known.contains(name)).forEach(unknown::add);
        flags.stream().filter(name -> !known.contains(name)).forEach(unknown::add);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) for " + command + ": --" + String.join(", --", unknown));
        }
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    public String option(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }

    public int intOption(String name, int defaultValue) {
        String value = options.get(name);
        if (value == null && flags.contains(name)) {
            throw new IllegalArgumentException("--" + name + " needs a number");
        }
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a number, got " + value);
        }
    }
}
