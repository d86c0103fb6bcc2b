package io.usermesh.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A node of a composed YAML tree together with its key path, so that whoever reads it can fail with file, line
 * and key. The tree is composed rather than loaded into maps because only nodes keep their line numbers.
 */
final class YamlNode {

    private final Node node;
    private final String file;
    private final String path;
    private final Placeholders placeholders;

    private YamlNode(Node node, String file, String path, Placeholders placeholders) {
        this.node = node;
        this.file = file;
        this.path = path;
        this.placeholders = placeholders;
    }

    /** The root of {@code text}, or empty for a document without content. */
    static Optional<YamlNode> parse(String text, String file, Placeholders placeholders) {
        LoadSettings settings = LoadSettings.builder().setLabel(file).setParseComments(false).build();
        try {
            return new Compose(settings).composeString(text).map(root -> new YamlNode(root, file, "", placeholders));
        } catch (MarkedYamlEngineException e) {
            // getMessage() would quote a snippet of the file, which may be a secret's line
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            throw new ConfigException(file, line, "-", "malformed YAML" + context + ": " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new ConfigException(file, 0, "-", "malformed YAML: " + e.getMessage());
        }
    }

    int line() {
        return node.getStartMark().map(Mark::getLine).orElse(-1) + 1;
    }

    String path() {
        return path;
    }

    ConfigException fail(String problem) {
        return new ConfigException(file, line(), path.isEmpty() ? "-" : path, problem);
    }

    /** An empty value, ~ or null: treated by callers as if the key were not there. */
    boolean isNull() {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    boolean isMapping() {
        return node instanceof MappingNode;
    }

    boolean isScalar() {
        return node instanceof ScalarNode;
    }

    /** A single value with its placeholders resolved; null reads as "". */
    ConfigValue scalar() {
        if (!(node instanceof ScalarNode scalar)) {
            throw fail("must be a single value, not a " + kind());
        }
        return placeholders.value(isNull() ? "" : scalar.getValue(), file, line(), path);
    }

    /** The items of a list; null reads as an empty list. */
    List<YamlNode> list() {
        if (isNull()) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw fail("must be a list, e.g. [a, b], not a " + kind());
        }
        List<YamlNode> items = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            items.add(new YamlNode(item, file, path + "[" + items.size() + "]", placeholders));
        }
        return items;
    }

    /** The entries of a mapping whose keys may only be {@code allowed}; null reads as an empty mapping. */
    Fields fields(List<String> allowed) {
        Fields fields = entries();
        fields.keyLines.forEach((key, line) -> {
            if (!allowed.contains(key)) {
                throw new ConfigException(file, line, child(key),
                        "unknown key; allowed here: " + String.join(", ", allowed));
            }
        });
        return fields;
    }

    /** The entries of a mapping with any keys, in file order; null reads as an empty mapping. */
    Fields entries() {
        Fields fields = new Fields(this);
        if (isNull()) {
            return fields;
        }
        if (!(node instanceof MappingNode mapping)) {
            throw fail("must be a mapping (key: value), not a " + kind());
        }
        for (NodeTuple tuple : mapping.getValue()) {
            YamlNode key = new YamlNode(tuple.getKeyNode(), file, path, placeholders);
            if (!(tuple.getKeyNode() instanceof ScalarNode keyScalar)) {
                throw key.fail("a key must be a single value, not a " + key.kind());
            }
            String name = keyScalar.getValue();
            Integer firstLine = fields.keyLines.putIfAbsent(name, key.line());
            if (firstLine != null) {
                throw new ConfigException(file, key.line(), child(name),
                        "duplicate key (first at line " + firstLine + ")");
            }
            fields.entries.put(name, new YamlNode(tuple.getValueNode(), file, child(name), placeholders));
        }
        return fields;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String kind() {
        return node instanceof MappingNode ? "mapping" : node instanceof SequenceNode ? "list" : "single value";
    }

    /** A mapping's entries, looked up by key. */
    static final class Fields {
        private final YamlNode owner;
        private final Map<String, YamlNode> entries = new LinkedHashMap<>();
        private final Map<String, Integer> keyLines = new LinkedHashMap<>();

        private Fields(YamlNode owner) {
            this.owner = owner;
        }

        /** The value under {@code key}, empty when the key is missing or its value is null. */
        Optional<YamlNode> get(String key) {
            return Optional.ofNullable(entries.get(key)).filter(n -> !n.isNull());
        }

        YamlNode require(String key) {
            YamlNode value = entries.get(key);
            if (value == null) {
                throw new ConfigException(owner.file, owner.line(), owner.child(key), "missing; this key is required");
            }
            if (value.isNull()) {
                throw value.fail("must not be empty; this key is required");
            }
            return value;
        }

        /** Every entry in file order. */
        Map<String, YamlNode> all() {
            return entries;
        }
    }
}
