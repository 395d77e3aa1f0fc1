package io.streamcontrol.control.audit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/** Records every mutating call of the API once its response status is known, refused ones included. */
@Component
class AuditInterceptor implements HandlerInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(AuditInterceptor.class);
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final AuditLog log;

    AuditInterceptor(AuditLog log) {
        this.log = log;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception ex) {
        if (!MUTATING.contains(request.getMethod())) {
            return;
        }
        Principal principal = request.getUserPrincipal();
        String caller = principal != null ? principal.getName() : "anonymous";
        String action = request.getMethod() + " " + request.getRequestURI();
        String detail = request.getQueryString();
        String idempotencyKey = request.getHeader("Idempotency-Key");
        if (idempotencyKey != null) {
            detail = (detail == null ? "" : detail + " ") + "Idempotency-Key=" + idempotencyKey;
        }
        AuditLog.Entry entry = new AuditLog.Entry(Instant.now(), caller, action, job(request), response.getStatus(),
                detail);
        log.record(entry).whenComplete((result, error) -> {
            if (error != null) {
                LOG.warn("Could not write audit entry {}: {}", entry, error.getMessage());
            }
        });
    }

    private static String job(HttpServletRequest request) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (variables instanceof Map<?, ?> map && map.get("name") instanceof String name) {
            return name;
        }
        return null;
    }
}
