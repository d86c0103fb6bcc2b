package io.usermesh.cli;

import io.usermesh.config.ConfigException;
import io.usermesh.storage.Database;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line; with no command it runs the runner. */
@Command(name = "usermesh", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Keeps WordPress users in sync across sites.",
        subcommands = {RunCommand.class, CheckCommand.class, ReconcileCommand.class, DeadLettersCommand.class,
                LogsCommand.class, AppPasswordCommand.class, SyncCommand.class,
                ExportCommand.class, ImportCommand.class})
public final class UsermeshCli {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    public static void main(String[] args) {
        Database.bindEmbeddedServerToLoopback();
        System.exit(execute(args, System.out, System.err));
    }

    public static int execute(String[] args, PrintStream out, PrintStream err) {
        return execute(args, out, err, System.getenv());
    }

    /** {@code env} stands in for the process environment, so tests need not change it. */
    public static int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        String[] effective = args.length == 0 ? new String[] {"run"} : args;
        if (effective[0].startsWith("--") && !isHelpOrVersion(effective[0])) {
            effective = prepend("run", effective);
        }
        CommandLine cli = new CommandLine(new UsermeshCli(), new EnvFactory(env));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof ConfigException) {
                commandLine.getErr().println("configuration error: " + ex.getMessage());
                return USAGE;
            }
            throw ex;
        });
        return cli.execute(effective);
    }

    /** Creates every command's {@link ConfigOptions} with the given environment. */
    private record EnvFactory(Map<String, String> env) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == ConfigOptions.class) {
                return type.cast(new ConfigOptions(env));
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    private static boolean isHelpOrVersion(String arg) {
        return arg.equals("--help") || arg.equals("--version");
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
