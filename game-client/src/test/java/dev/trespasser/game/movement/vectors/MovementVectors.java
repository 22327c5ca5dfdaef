package dev.trespasser.game.movement.vectors;

import dev.trespasser.game.maps.MapCatalog;
import dev.trespasser.game.movement.MovementRules;
import dev.trespasser.game.wire.Wire;
import dev.trespasser.game.world.GameMap;
import dev.trespasser.game.world.SliceField;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the movement test vectors: every script of {@link MovementScripts} run through the real
 * {@link MovementRules} on the real map, one line of JSON per tick (the input held, the position
 * after the tick). The format is in the module README; doubles are written with
 * {@link Double#toString}, which reads back to the same bits in Java and JavaScript.
 */
public final class MovementVectors {

    public static final int FORMAT_VERSION = 1;
    public static final Path FILE = Path.of("target", "test-vectors", "movement.json");
    /** The committed golden file (relative to the module, where Maven runs its tests). */
    public static final Path GOLDEN = Path.of("src", "test", "resources", "vectors", "movement.json");

    private MovementVectors() {}

    public static void main(String[] args) throws IOException {
        Path file = args.length > 0 ? Path.of(args[0]) : FILE;
        write(file);
        System.out.println("wrote " + file.toAbsolutePath());
    }

    public static void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, generate(), StandardCharsets.UTF_8);
    }

    /** The vectors of every script under the default rules, as the file holds them. */
    public static String generate() {
        GameMap map = MapCatalog.load(MovementScripts.MAP);
        return generate(map, MovementRules.DEFAULTS, MovementScripts.all(map));
    }

    static String generate(GameMap map, MovementRules rules, List<MovementScript> scripts) {
        StringBuilder json = new StringBuilder();
        json.append("{\n");
        json.append("  \"format\": \"trespasser-movement-vectors\",\n");
        json.append("  \"version\": ").append(FORMAT_VERSION).append(",\n");
        json.append("  \"map\": ").append(quote(map.name())).append(",\n");
        json.append("  \"mapFingerprint\": ")
                .append(quote(Long.toUnsignedString(map.fingerprint(), 16)))
                .append(",\n");
        json.append("  \"rules\": {\"playerRadius\": ")
                .append(rules.playerRadius())
                .append(", \"sneakSpeed\": ")
                .append(rules.sneakSpeed())
                .append(", \"walkSpeed\": ")
                .append(rules.walkSpeed())
                .append(", \"runSpeed\": ")
                .append(rules.runSpeed())
                .append(", \"tickRateHz\": ")
                .append(rules.tickRateHz())
                .append(", \"positionScale\": ")
                .append(Wire.POSITION_SCALE)
                .append("},\n");
        json.append("  \"buttons\": {\"UP\": 1, \"DOWN\": 2, \"LEFT\": 4, \"RIGHT\": 8},\n");
        json.append("  \"cases\": [");
        double[] out = new double[2];
        for (int c = 0; c < scripts.size(); c++) {
            MovementScript script = scripts.get(c);
            SliceField slices = new SliceField(map, 1);
            for (int slice : script.destroyedSlices()) {
                slices.damage(slice, 1);
            }
            json.append(c == 0 ? "\n" : ",\n");
            json.append("    {\n");
            json.append("      \"name\": ").append(quote(script.name())).append(",\n");
            json.append("      \"description\": ")
                    .append(quote(script.description()))
                    .append(",\n");
            json.append("      \"start\": {\"x\": ")
                    .append(script.startX())
                    .append(", \"y\": ")
                    .append(script.startY())
                    .append("},\n");
            json.append("      \"destroyedSlices\": ")
                    .append(script.destroyedSlices())
                    .append(",\n");
            json.append("      \"ticks\": [");
            double x = script.startX();
            double y = script.startY();
            int tick = 0;
            for (MovementScript.Hold hold : script.holds()) {
                for (int i = 0; i < hold.ticks(); i++) {
                    rules.step(slices, x, y, hold.buttons(), hold.speed(), out);
                    x = out[0];
                    y = out[1];
                    json.append(tick == 0 ? "\n" : ",\n");
                    json.append("        {\"buttons\": ")
                            .append(hold.buttons())
                            .append(", \"speed\": ")
                            .append(quote(hold.speed().name()))
                            .append(", \"x\": ")
                            .append(x)
                            .append(", \"y\": ")
                            .append(y)
                            .append(", \"wireX\": ")
                            .append(Wire.position(x))
                            .append(", \"wireY\": ")
                            .append(Wire.position(y))
                            .append('}');
                    tick++;
                }
            }
            json.append("\n      ]\n    }");
        }
        json.append("\n  ]\n}\n");
        return json.toString();
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                q.append('\\');
            }
            if (ch < 0x20) {
                q.append(String.format("\\u%04x", (int) ch));
                continue;
            }
            q.append(ch);
        }
        return q.append('"').toString();
    }
}
