package io.usermesh.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * A DataSource that counts the SQL statements prepared through it (each one a round trip to the
 * database when executed), so a test can see what one delivery costs the database. A transaction's
 * begin (autocommit turned off) and commit are listed among them as {@code BEGIN} and {@code COMMIT}:
 * each is a round trip too.
 */
public final class CountingDataSource {

    private final List<String> statements = new CopyOnWriteArrayList<>();
    private final DataSource dataSource;

    public CountingDataSource(DataSource real) {
        this.dataSource = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    return result instanceof Connection c ? counting(c) : result;
                });
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public int statements() {
        return statements.size();
    }

    /** The SQL of the statements (and BEGIN, COMMIT) from position {@code from} on, in order. */
    public List<String> since(int from) {
        return List.copyOf(statements.subList(from, statements.size()));
    }

    private Connection counting(Connection real) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") || method.getName().equals("createStatement")
                            || method.getName().equals("prepareCall")) {
                        statements.add(args != null && args.length > 0 ? String.valueOf(args[0]) : "(statement)");
                    } else if (method.getName().equals("setAutoCommit") && Boolean.FALSE.equals(args[0])) {
                        statements.add("BEGIN");
                    } else if (method.getName().equals("commit")) {
                        statements.add("COMMIT");
                    }
                    return invoke(real, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
