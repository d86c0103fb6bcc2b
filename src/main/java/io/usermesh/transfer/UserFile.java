package io.usermesh.transfer;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.usermesh.model.Json;
import io.usermesh.model.UserState;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The file format of export and import: the synced fields of each user, with WordPress's field
 * names, as a JSON array of objects or as CSV with a header row (roles joined by "|", meta as a
 * JSON object). Both are read and written one user at a time, so a file of any size fits in a small
 * heap. No password or hash is ever in it: the REST API gives none.
 */
public final class UserFile {

    public enum Format {
        JSON, CSV;

        /** The named format, else the one the file's extension says, else JSON. */
        public static Format of(String name, Path file) {
            if (name != null) {
                try {
                    return valueOf(name.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new TransferException("--format must be json or csv, got '" + name + "'");
                }
            }
            return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? CSV : JSON;
        }
    }

    /** One user of a file and the line it starts on. */
    public record Entry(int line, UserState user) {
    }

    static final List<String> COLUMNS = List.of("username", "email", "name", "first_name", "last_name", "nickname",
            "url", "description", "roles", "meta");
    private static final CsvMapper CSV = new CsvMapper();
    private static final CsvSchema SCHEMA = CsvSchema.builder().addColumns(COLUMNS, CsvSchema.ColumnType.STRING)
            .build().withHeader();

    private UserFile() {
    }

    /** Writes users to a new file, one at a time. */
    public static final class Sink implements AutoCloseable {
        private final Format format;
        private final Writer out;
        private final JsonGenerator json;
        private final SequenceWriter csv;

        Sink(Path file, Format format) throws IOException {
            this.format = format;
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            if (format == Format.JSON) {
                json = Json.MAPPER.getFactory().createGenerator(out).useDefaultPrettyPrinter();
                json.writeStartArray();
                csv = null;
            } else {
                json = null;
                csv = CSV.writer(SCHEMA).writeValues(out); // the header comes with the first row
            }
        }

        public void write(UserState user) throws IOException {
            Map<String, Object> row = columns(user);
            if (format == Format.JSON) {
                json.writeObject(row);
            } else {
                row.put("roles", String.join("|", user.roles()));
                row.put("meta", user.meta().isEmpty() ? "" : Json.write(user.meta()));
                csv.write(row.values().stream().map(String::valueOf).toList());
            }
        }

        @Override
        public void close() throws IOException {
            if (json != null) {
                json.writeEndArray();
                json.close();
            } else {
                csv.close();
            }
            out.close();
        }
    }

    public static Sink create(Path file, Format format) throws IOException {
        return new Sink(file, format);
    }

    /**
     * Reads every user in order. A record that cannot be a user (no username or email, roles that
     * are not a list, …) stops the reading with the file, line and problem.
     */
    public static void read(Path file, Format format, Consumer<Entry> each) {
        try {
            if (format == Format.JSON) {
                readJson(file, each);
            } else {
                readCsv(file, each);
            }
        } catch (IOException e) {
            throw new TransferException(file + ": " + e.getMessage(), e);
        }
    }

    private static void readJson(Path file, Consumer<Entry> each) throws IOException {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new TransferException(file + ":1: a JSON file holds an array of users");
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                int line = parser.currentLocation().getLineNr();
                JsonNode node = Json.MAPPER.readTree(parser);
                Map<String, Object> fields = new LinkedHashMap<>();
                node.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().isTextual()
                        ? f.getValue().asText() : f.getValue().isNull() ? null : f.getValue()));
                each.accept(new Entry(line, user(file, line, fields)));
            }
            if (parser.currentToken() != JsonToken.END_ARRAY) {
                throw new TransferException(file + ":" + parser.currentLocation().getLineNr()
                        + ": each entry of the array must be an object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TransferException(file + ":" + e.getLocation().getLineNr() + ": not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static void readCsv(Path file, Consumer<Entry> each) throws IOException {
        CsvSchema header = CsvSchema.emptySchema().withHeader();
        try (MappingIterator<Map<String, String>> rows = CSV.readerFor(Map.class).with(header)
                .readValues(file.toFile())) {
            while (rows.hasNextValue()) {
                int line = rows.getCurrentLocation().getLineNr();
                Map<String, Object> fields = new LinkedHashMap<>(rows.nextValue());
                Object roles = fields.get("roles");
                if (roles instanceof String text) {
                    fields.put("roles", text.isBlank() ? List.of() : Arrays.asList(text.split("\\|")));
                }
                Object meta = fields.get("meta");
                if (meta instanceof String text) {
                    try {
                        fields.put("meta", text.isBlank() ? Map.of() : Json.MAPPER.readTree(text));
                    } catch (IOException e) {
                        throw new TransferException(file + ":" + line + ": meta must be a JSON object, got " + text);
                    }
                }
                each.accept(new Entry(line, user(file, line, fields)));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TransferException(file + ":" + e.getLocation().getLineNr() + ": not valid CSV: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static UserState user(Path file, int line, Map<String, Object> fields) {
        for (String key : fields.keySet()) {
            if (!COLUMNS.contains(key)) {
                throw new TransferException(file + ":" + line + ": unknown field '" + key + "'; fields are " + COLUMNS);
            }
        }
        String username = text(fields, "username");
        String email = text(fields, "email");
        if (username.isBlank() || email.isBlank() || !email.contains("@")) {
            throw new TransferException(file + ":" + line + ": every user needs a username and an email");
        }
        return new UserState(username, email, text(fields, "name"), text(fields, "first_name"),
                text(fields, "last_name"), text(fields, "nickname"), text(fields, "url"), text(fields, "description"),
                roles(file, line, fields.get("roles")), meta(file, line, fields.get("meta")));
    }

    private static String text(Map<String, Object> fields, String key) {
        Object value = fields.get(key);
        return value == null ? "" : value instanceof JsonNode node ? node.asText() : value.toString().trim();
    }

    private static List<String> roles(Path file, int line, Object value) {
        List<String> roles = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(r -> roles.add(r.toString().trim()));
        } else if (value instanceof JsonNode node && node.isArray()) {
            node.forEach(r -> roles.add(r.asText().trim()));
        } else if (value != null && !(value instanceof String s && s.isBlank())) {
            throw new TransferException(file + ":" + line + ": roles must be a list of role names");
        }
        return roles.stream().filter(r -> !r.isEmpty()).toList();
    }

    private static Map<String, String> meta(Path file, int line, Object value) {
        Map<String, String> meta = new LinkedHashMap<>();
        if (value instanceof JsonNode node && node.isObject()) {
            node.fields().forEachRemaining(f -> meta.put(f.getKey(), f.getValue().isTextual() ? f.getValue().asText()
                    : f.getValue().toString()));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> meta.put(k.toString(), String.valueOf(v)));
        } else if (value != null && !(value instanceof String s && s.isBlank())) {
            throw new TransferException(file + ":" + line + ": meta must be an object of key to value");
        }
        return meta;
    }

    private static Map<String, Object> columns(UserState user) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("username", user.username());
        row.put("email", user.email());
        row.put("name", user.name());
        row.put("first_name", user.firstName());
        row.put("last_name", user.lastName());
        row.put("nickname", user.nickname());
        row.put("url", user.url());
        row.put("description", user.description());
        row.put("roles", user.roles());
        row.put("meta", user.meta());
        return row;
    }
}
