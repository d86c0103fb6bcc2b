package io.usermesh.model;

/**
 * What the companion plugin adds to a user in REST answers (its field {@code usermesh}): a digest
 * that changes with the password (never the hash itself) and the user's two sync toggles from the
 * profile screen. A site without the companion shows none of it: the user's state then holds null.
 *
 * @param password a keyed digest of the stored hash, per site: equal digests on one site mean the
 *        same password, digests of two sites are not comparable
 * @param propagationOff "Sync propagation" unticked: this user's changes on the site are not sent on
 * @param isProtected "Sync protection": changes from other sites never modify this user there
 */
public record CompanionFields(String password, boolean propagationOff, boolean isProtected) {

    public CompanionFields {
        password = password == null ? "" : password;
    }

    /** The part of a fingerprint that changes when any of these does. */
    String text() {
        return password + (propagationOff ? ",off" : ",on") + (isProtected ? ",protected" : "");
    }
}
