package io.streamcontrol.bench.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.settings.JobSettings;
import io.streamcontrol.job.rollup.AnalyticsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateFootprintTest {

    @Test
    void theStateHoldsASlideSumPerProductSoldInEachMinuteAndAKeyPerProductSeen() {
        StateFootprint.Options options = StateFootprint.Options.parse(new String[] {
                "--products", "50", "--rate", "200", "--minutes", "3", "--batch-seconds", "5"});
        AnalyticsConfig config = AnalyticsConfig.of(
                JobSettings.parse("--receivers", "1", "--checkpoint", "file:///nowhere"));

        List<StateFootprint.Minute> minutes = StateFootprint.measure(options, config);

        assertThat(minutes).hasSize(3);
        StateFootprint.Minute last = minutes.get(2);
        int products = last.keys()[Dimension.PRODUCT.ordinal()];
        assertThat(products).isBetween(30, 50); // 36,000 Zipf draws over 50 products: nearly all of them
        assertThat(last.totals()).isEqualTo(products + last.keys()[Dimension.REGION.ordinal()]
                + last.keys()[Dimension.STATE.ordinal()]);
        // one slide sum per key sold in a minute, 1 m slides kept for the 1 h window: three minutes' worth by now
        assertThat(minutes.get(0).slideSums()).isLessThan(minutes.get(1).slideSums());
        assertThat(last.slideSums()).isGreaterThan(2 * products).isLessThanOrEqualTo(4 * (50 + 5 + 50));
        assertThat(StateFootprint.markdown(options, config, minutes))
                .contains("200 events/s of event time, 50 products, 5 s batches, 3 minutes")
                .contains("| minute | product keys | region keys | state keys | open buckets |");
    }
}
