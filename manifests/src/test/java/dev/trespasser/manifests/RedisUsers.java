package dev.trespasser.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Redis users of open-match/redis/ and how the Redis StatefulSets load them. */
final class RedisUsers {

    private RedisUsers() {}

    /** User name → its ACL rules, in order, from {@code open-match/redis/<redis>-users.conf}. */
    static Map<String, List<String>> of(String redis) {
        return parse(Repository.read(Repository.OPEN_MATCH.resolve("redis").resolve(redis + "-users.conf")));
    }

    static Map<String, List<String>> parse(String usersFile) {
        Map<String, List<String>> users = new LinkedHashMap<>();
        for (String line : usersFile.lines().toList()) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].equals("user")) {
                users.put(words[1], List.of(Arrays.copyOfRange(words, 2, words.length)));
            }
        }
        return users;
    }

    /** The commands a user's rules allow one by one ({@code +cmd}), lower case. */
    static List<String> commands(List<String> rules) {
        return rules.stream()
                .filter(r -> r.startsWith("+") && !r.startsWith("+@"))
                .map(r -> r.substring(1).toLowerCase())
                .toList();
    }

    /** Key patterns with their access: {@code ~p} (read and write), {@code %R~p}, {@code %W~p}, {@code %RW~p}. */
    static List<String> keyPatterns(List<String> rules) {
        return rules.stream()
                .filter(r -> r.startsWith("~") || r.startsWith("%") || r.equals("allkeys"))
                .toList();
    }

    /**
     * The Redis StatefulSet starts with its users file as the config file (first argument), mounted
     * from the Secret {@code <redis>-users} that the kustomization generates from
     * {@code keys/<redis>-users.conf}, and requires no shared password.
     */
    static List<String> loadsItsUsersFile(Stack stack, String redis) {
        List<String> problems = new ArrayList<>();
        Manifest statefulSet = stack.get("StatefulSet", redis);
        JsonNode container = statefulSet.container("redis").orElseThrow();
        JsonNode args = container.path("args");
        String configFile = args.size() > 0 ? args.get(0).asText() : "";
        String secret = redis + "-users";
        String mountedAt = null;
        for (JsonNode volume : statefulSet.podSpec().path("volumes")) {
            if (volume.path("secret").path("secretName").asText().equals(secret)) {
                for (JsonNode mount : container.path("volumeMounts")) {
                    if (mount.path("name").asText().equals(volume.path("name").asText())) {
                        mountedAt = mount.path("mountPath").asText();
                    }
                }
            }
        }
        if (mountedAt == null) {
            problems.add(redis + " does not mount the Secret " + secret);
        } else if (!configFile.equals(mountedAt + "/users.conf")) {
            problems.add(redis + " does not start with its users file " + mountedAt
                    + "/users.conf as the config file (first arg: " + configFile + ")");
        }
        for (JsonNode arg : args) {
            if (arg.asText().equals("--requirepass")) {
                problems.add(redis + " sets --requirepass: one shared password for every service");
            }
        }
        boolean generated = false;
        for (JsonNode entry : stack.kustomization.path("secretGenerator")) {
            if (entry.path("name").asText().equals(secret)) {
                for (JsonNode file : entry.path("files")) {
                    generated |= file.asText().equals("users.conf=keys/" + redis + "-users.conf");
                }
            }
        }
        if (!generated) {
            problems.add("the kustomization does not generate " + secret + " from keys/" + redis + "-users.conf");
        }
        return problems;
    }
}
