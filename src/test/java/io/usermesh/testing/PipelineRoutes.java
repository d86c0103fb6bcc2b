package io.usermesh.testing;

import io.usermesh.config.UsermeshConfig;
import io.usermesh.pipeline.PipelineEntry;
import io.usermesh.runtime.SyncBeans;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;

/** The shipped change pipeline (routes/ of the checkout) with the runner's beans, and no delivery. */
public final class PipelineRoutes implements AutoCloseable {

    private final CamelContext camel;

    private PipelineRoutes(CamelContext camel) {
        this.camel = camel;
    }

    public static PipelineRoutes start(UsermeshConfig config, DataSource dataSource) throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("dataSource", dataSource);
        SyncBeans.bind(camel, config, dataSource);
        camel.setRouteFilterPattern("change-*,custom-rules,audit-write", null);
        PluginHelper.getRoutesLoader(camel).loadRoutes(PluginHelper.getPackageScanResourceResolver(camel)
                .findResources("file:routes/*.camel.yaml"));
        camel.start();
        return new PipelineRoutes(camel);
    }

    public PipelineEntry entry() {
        return camel.getRegistry().lookupByNameAndType("pipelineEntry", PipelineEntry.class);
    }

    @Override
    public void close() throws Exception {
        camel.close();
    }
}
