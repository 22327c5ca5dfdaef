package dev.trespasser.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's redis-server on a free loopback port, without persistence, stopped on close. Started
 * {@linkplain #startWithUsers with users}, it runs one of the ACL files of {@code open-match/redis/}
 * (the same file production mounts), each user with a random password, plus {@value #ADMIN}, a user
 * allowed everything for the assertions of tests and the local stack's feed.
 */
public final class RedisServer implements AutoCloseable {
    /** The results Redis' users: frontend, director, match-server. */
    public static final String RESULTS_USERS = "results-redis-users.conf";
    /** The replay Redis' users: match-server. */
    public static final String REPLAY_USERS = "replay-redis-users.conf";
    /** The harness's own user (tests and the local feed), never one of the services'. */
    public static final String ADMIN = "peers-admin";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PeerProcess process;
    private final int port;
    private final Map<String, String> passwords;

    private RedisServer(PeerProcess process, int port, Map<String, String> passwords) {
        this.process = process;
        this.port = port;
        this.passwords = passwords;
    }

    /** Without users: every connection is the default user, allowed everything. */
    public static RedisServer start(Path logDir) {
        return start(logDir, FreePort.pick());
    }

    /** On a given port: e.g. to bring a stopped Redis back at the address its clients know. */
    public static RedisServer start(Path logDir, int port) {
        return start(logDir, port, List.of(), Map.of());
    }

    /**
     * With the users of {@code open-match/redis/<usersFile>} ({@link #RESULTS_USERS},
     * {@link #REPLAY_USERS}), each with a random password, and {@value #ADMIN}.
     */
    public static RedisServer startWithUsers(Path logDir, String usersFile) {
        int port = FreePort.pick();
        Map<String, String> passwords = new LinkedHashMap<>();
        List<String> rendered = new ArrayList<>();
        for (String line : usersTemplate(usersFile)) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].equals("user") && !words[1].equals("default")) {
                String password = randomPassword();
                passwords.put(words[1], password);
                rendered.add(
                        "user " + words[1] + " >" + password + line.trim().substring(("user " + words[1]).length()));
            } else {
                rendered.add(line);
            }
        }
        String adminPassword = randomPassword();
        passwords.put(ADMIN, adminPassword);
        rendered.add("user " + ADMIN + " on >" + adminPassword + " ~* &* +@all");
        Path config = logDir.resolve("redis-" + port + "-" + usersFile);
        try {
            Files.createDirectories(logDir);
            Files.deleteIfExists(config);
            Files.createFile(
                    config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(config, rendered, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        return start(logDir, port, List.of(config.toString()), passwords);
    }

    /** The lines of one of open-match/redis/'s ACL files, as packaged into this module. */
    public static List<String> usersTemplate(String usersFile) {
        try (InputStream in = RedisServer.class.getResourceAsStream("redis/" + usersFile)) {
            if (in == null) {
                throw new IllegalArgumentException("no Redis users file " + usersFile + " in open-match/redis/");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RedisServer start(Path logDir, int port, List<String> configFile, Map<String, String> passwords) {
        List<String> command = new ArrayList<>();
        command.add(PeerBinaries.locate().redisServer().toString());
        command.addAll(configFile);
        command.addAll(List.of(
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no"));
        PeerProcess process = PeerProcess.start("redis-" + port, command, Map.of(), logDir);
        RedisServer redis = new RedisServer(process, port, Map.copyOf(passwords));
        try {
            process.awaitReady(Duration.ofSeconds(10), redis::answersPing);
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        return redis;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** Without credentials: the default user (allowed everything unless started with users). */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** {@code redis://user:password@127.0.0.1:port} for one of the users this server was started with. */
    public String url(String user) {
        return "redis://" + user + ":" + password(user) + "@127.0.0.1:" + port;
    }

    /**
     * The URL a service is given: its own user's when this Redis runs {@linkplain #startWithUsers
     * users}, else {@link #url()}.
     */
    public String serviceUrl(String user) {
        return passwords.isEmpty() ? url() : url(user);
    }

    /** The harness's user, allowed everything; {@link #url()} when started without users. */
    public String adminUrl() {
        return passwords.isEmpty() ? url() : url(ADMIN);
    }

    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("this Redis has no user " + user + "; it has " + passwords.keySet());
        }
        return password;
    }

    /** One PING; false while redis-server is still starting. */
    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
