package io.streamcontrol.control.analytics;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.ShallowEtagHeaderFilter;

/**
 * HTTP caching of rollup series ({@code GET /api/jobs/{name}/rollups/{dimension}/{key}}): a strong {@code ETag} over
 * the answer's body, and {@code 304 Not Modified} without a body when the caller's {@code If-None-Match} names it;
 * {@code Cache-Control: private, no-cache}, so that a client may keep the answer and asks again each time (instead of
 * Spring Security's default {@code no-store}). The answer is still computed: a 304 saves the transfer and the
 * client's parsing, which is what a dashboard's repeated polls of series whose buckets no longer change cost.
 *
 * <p>No {@code max-age}, not even for a series whose buckets can no longer change: which buckets are closed follows
 * from the job's lateness, which a configuration change can raise, opening closed buckets again; revalidation is
 * always right. A servlet filter of the lowest precedence, so it runs after Spring Security's: refused calls get
 * neither header.
 */
@Component
class RollupEtags extends ShallowEtagHeaderFilter {

    static final String CACHE_CONTROL = "private, no-cache";

    private static final Pattern ROLLUPS = Pattern.compile("^/api/jobs/[^/]+/rollups/[^/]+/[^/]+$");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
                || !ROLLUPS.matcher(request.getRequestURI()).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
        super.doFilterInternal(request, response, chain);
    }
}
