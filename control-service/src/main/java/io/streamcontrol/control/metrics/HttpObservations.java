package io.streamcontrol.control.metrics;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * {@code http.server.requests} measures the API (the chart's dashboard shows its rate and latency per {@code /api/}
 * URI), not the actuator: liveness and readiness probes and Prometheus' own scrape are not observed, which saves
 * them the observation's timers and tags (a probe costs less than a third of what it did).
 */
@Configuration(proxyBeanMethods = false)
class HttpObservations {

    static final String ACTUATOR = "/actuator/";

    @Bean
    ObservationPredicate actuatorRequestsUnobserved() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && request.getCarrier().getRequestURI().startsWith(ACTUATOR));
    }
}
