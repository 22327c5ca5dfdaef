package dev.trespasser.director.endtoend;

import dev.trespasser.peers.OmCore;
import dev.trespasser.peers.doubles.LoopbackProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * om-core behind one fixed address, as a Kubernetes Service puts it: the frontend and the
 * director keep their target while the om-core behind it is killed and a new one started. Each
 * accepted connection is piped to the current om-core; when that one dies its connections close,
 * so clients see exactly what a restart does to them (a lost connection, then a new one that
 * reaches a process with empty state). With no om-core behind it, connections are closed at once.
 */
public final class OmCoreService implements AutoCloseable {

    private final Path logs;
    private final Map<String, String> settings;
    private final LoopbackProxy address;
    private volatile OmCore current;

    private OmCoreService(Path logs, Map<String, String> settings) throws IOException {
        this.logs = logs;
        this.settings = settings;
        address = LoopbackProxy.unattached();
    }

    /** Starts om-core (with these OM_* settings) behind a new fixed address. */
    public static OmCoreService start(Path logs, Map<String, String> settings) {
        try {
            OmCoreService service = new OmCoreService(logs, Map.copyOf(settings));
            service.attach(OmCore.start(logs, settings));
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The address clients use, whichever om-core is behind it. */
    public String grpcTarget() {
        return "127.0.0.1:" + address.port();
    }

    /** The om-core behind the address now. */
    public OmCore omCore() {
        return current;
    }

    /** SIGKILL, as an OOM kill or a node loss does it: no goodbye to anyone. */
    public void kill() throws InterruptedException {
        OmCore dying = current;
        current = null;
        address.refuseNewConnections();
        ProcessHandle.of(dying.process().pid()).ifPresent(ProcessHandle::destroyForcibly);
        while (dying.process().isAlive()) {
            Thread.sleep(10);
        }
        dying.close();
        address.closeConnections();
    }

    /**
     * A new om-core, with empty state, behind the same address. om-core's own port is picked free
     * and then bound by om-core; while every client reconnects, an outgoing connection can take
     * that ephemeral port in between, so a start that lost its port is tried again.
     */
    public void restart() {
        for (int attempt = 1; ; attempt++) {
            try {
                attach(OmCore.start(logs, settings));
                return;
            } catch (IllegalStateException e) {
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("address already in use")) {
                    throw e;
                }
            }
        }
    }

    private void attach(OmCore omCore) {
        current = omCore;
        address.retarget(omCore.grpcPort());
    }

    @Override
    public void close() {
        address.close();
        if (current != null) {
            current.close();
        }
    }
}
