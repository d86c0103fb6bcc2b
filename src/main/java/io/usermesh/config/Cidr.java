package io.usermesh.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address block such as 10.0.0.0/8 or 2001:db8::/32, parsed without any DNS lookup. */
final class Cidr {

    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * Accepts a bare address as a block of one.
     *
     * @throws IllegalArgumentException with a problem text fit for a {@link ConfigException}
     */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = address.contains(":") ? ipv6(address) : ipv4(address);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + address + "' is not an IPv4 or IPv6 address");
        }
        int bits = bytes.length * 8;
        if (slash < 0) {
            return new Cidr(bytes, bits);
        }
        String prefixText = text.substring(slash + 1);
        if (!prefixText.matches("\\d{1,3}") || Integer.parseInt(prefixText) > bits) {
            throw new IllegalArgumentException("prefix length must be 0.." + bits + ", got '" + prefixText + "'");
        }
        return new Cidr(bytes, Integer.parseInt(prefixText));
    }

    /** The block as it should be stored: always with a prefix length. */
    static String normalize(String text) {
        Cidr cidr = parse(text);
        return text.indexOf('/') < 0 ? text + "/" + cidr.prefix : text;
    }

    boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    // Parsed by hand because InetAddress.getByName would treat anything that is not a literal as a host name.
    private static byte[] ipv4(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("\\d{1,3}") || Integer.parseInt(parts[i]) > 255) {
                return null;
            }
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return bytes;
    }

    // A text with ':' is only ever parsed as an IPv6 literal, never looked up.
    private static byte[] ipv6(String address) {
        if (!address.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
