package io.usermesh.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.usermesh.config.Secret;
import java.io.IOException;
import java.time.Instant;

/**
 * The one JSON mapping of usermesh's records (outbox, dead letters, CLI and API output). Instants
 * are ISO-8601 strings; a {@link Secret} is always written as null and read back as empty, so no
 * secret reaches a table, a response or a log through JSON.
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new SimpleModule()
            .addSerializer(Secret.class, new JsonSerializer<>() {
                @Override
                public void serialize(Secret value, JsonGenerator gen, SerializerProvider provider)
                        throws IOException {
                    gen.writeNull();
                }
            })
            .addDeserializer(Secret.class, new JsonDeserializer<>() {
                @Override
                public Secret deserialize(JsonParser p, DeserializationContext ctxt) {
                    return Secret.EMPTY;
                }

                @Override
                public Secret getNullValue(DeserializationContext ctxt) {
                    return Secret.EMPTY;
                }
            })
            .addSerializer(Instant.class, new JsonSerializer<>() {
                @Override
                public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
                        throws IOException {
                    gen.writeString(value.toString());
                }
            })
            .addDeserializer(Instant.class, new JsonDeserializer<>() {
                @Override
                public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                    return Instant.parse(p.getValueAsString());
                }
            }));

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(value.getClass().getSimpleName() + " cannot be written as JSON", e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
