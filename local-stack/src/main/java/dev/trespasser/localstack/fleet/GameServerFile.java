package dev.trespasser.localstack.fleet;

import dev.trespasser.director.allocation.AllocationMetadata;
import dev.trespasser.proto.agones.sdk.GameServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The GameServer file a local Agones SDK server ({@code sdk-server --local --file}) serves. Every
 * write event makes the SDK server REPLACE its whole in-memory GameServer with the file content,
 * so marking a server Allocated means rewriting the full document: state Allocated plus the
 * allocation's annotations and labels, everything else kept.
 */
public final class GameServerFile {

    private GameServerFile() {}

    /**
     * Rewrites {@code file} in place as an Allocated GameServer carrying {@code metadata}.
     *
     * @param live the SDK server's current GameServer: labels and annotations set through the SDK
     *     since the last file write are kept, as a real allocation keeps them
     */
    static void markAllocated(Path file, GameServer live, AllocationMetadata metadata) throws IOException {
        Map<String, Object> document = load(file);
        Map<String, Object> meta = child(document, "metadata");
        Map<String, Object> annotations = child(meta, "annotations");
        annotations.putAll(live.getObjectMeta().getAnnotationsMap());
        annotations.putAll(metadata.annotations());
        Map<String, Object> labels = child(meta, "labels");
        labels.putAll(live.getObjectMeta().getLabelsMap());
        labels.putAll(metadata.labels());
        child(document, "status").put("state", "Allocated");
        writeInPlace(file, yaml().dump(document));
    }

    static Map<String, Object> load(Path file) throws IOException {
        Object parsed = yaml().load(Files.readString(file, StandardCharsets.UTF_8));
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IOException(file + " does not hold a GameServer document");
        }
        Map<String, Object> document = new LinkedHashMap<>();
        map.forEach((key, value) -> document.put(String.valueOf(key), value));
        return document;
    }

    /**
     * Overwrites the file from offset 0 in one write, without truncating first and without a
     * rename: the SDK server only watches write events (a rename is missed), and a truncation is
     * a write event of its own that would show it an empty file. A shorter document is padded
     * with newlines, which YAML ignores, so no tail of the old content survives.
     */
    public static void writeInPlace(Path file, String content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            long size = channel.size();
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(bytes.length, size));
            buffer.put(bytes);
            while (buffer.hasRemaining()) {
                buffer.put((byte) '\n');
            }
            buffer.flip();
            long position = 0;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        Map<String, Object> created = new LinkedHashMap<>();
        parent.put(key, created);
        return created;
    }

    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        LoaderOptions loader = new LoaderOptions();
        return new Yaml(new SafeConstructor(loader), new Representer(options), options, loader);
    }
}
