package io.usermesh.cli;

import io.usermesh.config.UsermeshConfig;
import io.usermesh.runtime.Runner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", description = "Start the runner: routes, scheduler, HTTP servers (the default command).")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        UsermeshConfig config = options.load();
        return new Runner(config, options.routesDirOrNull(), options.env()).run();
    }
}
