package io.streamcontrol.control.analytics;

import io.streamcontrol.control.api.model.Dimension;
import io.streamcontrol.control.api.model.Granularity;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Dimensions and granularities are written as in the contract ({@code product}, {@code minute}). */
@Configuration
class AnalyticsParameters implements WebMvcConfigurer {

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverter(String.class, Dimension.class, Dimension::fromValue);
        registry.addConverter(String.class, Granularity.class, Granularity::fromValue);
    }
}
