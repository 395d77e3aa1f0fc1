package io.streamcontrol.control.analytics;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.control.api.model.RejectDto;
import io.streamcontrol.control.api.model.RollupBucketDto;
import io.streamcontrol.control.api.model.RunningTotalDto;
import io.streamcontrol.control.api.model.SalesEventDto;
import io.streamcontrol.control.api.model.TopEntryDto;
import io.streamcontrol.control.api.model.TopWindowDto;
import io.streamcontrol.control.audit.AuditLog;
import io.streamcontrol.control.security.SecurityConfiguration;
import io.streamcontrol.control.system.ApiException;
import io.streamcontrol.control.system.Pages.Page;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Every analytics endpoint through the real security chain and parameter validation, with the queries mocked. */
@WebMvcTest(AnalyticsController.class)
@Import(SecurityConfiguration.class)
class AnalyticsControllerTest {

    static final QueryTarget SALES = new QueryTarget("sales", "sales_ks", EnumSet.of(Dimension.PRODUCT, Dimension.REGION),
            EnumSet.of(Granularity.MINUTE, Granularity.HOUR), 3);
    static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 20, 10, 0, 0, 0, ZoneOffset.UTC);

    @Autowired
    MockMvc mvc;

    @MockitoBean
    QueryTargets targets;

    @MockitoBean
    AnalyticsQueries queries;

    @MockitoBean
    AuditLog audit;

    @BeforeEach
    void jobs() {
        when(targets.get("sales")).thenReturn(SALES);
        when(targets.get("nope")).thenThrow(ApiException.notFound("No job named nope"));
    }

    static MockHttpServletRequestBuilder viewer(MockHttpServletRequestBuilder request) {
        return request.with(httpBasic("test-viewer", "viewer-secret"));
    }

    @Test
    void rollupSeriesAnswersBucketsWithTheEventsFieldNames() throws Exception {
        RollupBucketDto bucket = new RollupBucketDto().bucketStart(T0).eventCount(3L).quantitySum(7L)
                .saleAmountSum(new BigDecimal("1234.50")).saleAmountMin(new BigDecimal("10.00"))
                .saleAmountMax(new BigDecimal("1000.00"));
        when(queries.rollups(eq(SALES), eq(Dimension.PRODUCT), eq("P-7"), eq(Granularity.MINUTE),
                eq(new QueryRange(T0.toInstant(), T0.plusHours(1).toInstant())), eq(100), isNull()))
                .thenReturn(new Page<>(List.of(bucket), "next-1"));

        mvc.perform(viewer(get("/api/jobs/sales/rollups/product/P-7")
                        .param("granularity", "minute").param("from", "2026-11-20T10:00:00Z")
                        .param("to", "2026-11-20T11:00:00Z")))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.dimension").value("product"))
                .andExpect(jsonPath("$.granularity").value("minute"))
                .andExpect(jsonPath("$.key").value("P-7"))
                .andExpect(jsonPath("$.items[0].bucket_start").value("2026-11-20T10:00:00Z"))
                .andExpect(jsonPath("$.items[0].event_count").value(3))
                .andExpect(jsonPath("$.items[0].quantity_sum").value(7))
                .andExpect(jsonPath("$.items[0].sale_amount_sum").value(1234.50))
                .andExpect(jsonPath("$.items[0].sale_amount_max").value(1000.00))
                .andExpect(jsonPath("$.nextCursor").value("next-1"));
    }

    @Test
    void aRollupSeriesHasAStrongEtagAndTheSameAnswerIs304() throws Exception {
        when(queries.rollups(eq(SALES), eq(Dimension.PRODUCT), eq("P-7"), eq(Granularity.HOUR), any(), eq(100),
                isNull())).thenReturn(new Page<>(List.of(new RollupBucketDto().bucketStart(T0).eventCount(3L)
                        .quantitySum(7L).saleAmountSum(BigDecimal.TEN).saleAmountMin(BigDecimal.ONE)
                        .saleAmountMax(BigDecimal.TEN)), null));
        java.util.function.Supplier<MockHttpServletRequestBuilder> series = () -> viewer(
                get("/api/jobs/sales/rollups/product/P-7").param("granularity", "hour")
                        .param("from", "2026-11-20T00:00:00Z").param("to", "2026-11-21T00:00:00Z"));

        String etag = mvc.perform(series.get())
                .andExpect(status().isOk())
                .andExpect(header().string("Cache-Control", RollupEtags.CACHE_CONTROL))
                .andExpect(header().string("ETag", org.hamcrest.Matchers.matchesPattern("\"[0-9a-f]{33}\"")))
                .andExpect(jsonPath("$.items[0].event_count").value(3))
                .andReturn().getResponse().getHeader("ETag");

        mvc.perform(series.get().header("If-None-Match", etag))
                .andExpect(status().isNotModified())
                .andExpect(header().string("ETag", etag))
                .andExpect(content().string(""));
        mvc.perform(series.get().header("If-None-Match", "\"0other\""))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].event_count").value(3));
    }

    @Test
    void refusedCallsAndOtherQueriesHaveNoEtag() throws Exception {
        mvc.perform(get("/api/jobs/sales/rollups/product/P-7").param("granularity", "hour"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().doesNotExist("ETag"));
        when(queries.totals(SALES, Dimension.REGION, null, 100, null)).thenReturn(new Page<>(List.of(), null));
        mvc.perform(viewer(get("/api/jobs/sales/totals/region")))
                .andExpect(status().isOk())
                .andExpect(header().doesNotExist("ETag"));
    }

    @Test
    void anApiKeyAuthenticatesAViewer() throws Exception {
        when(queries.totals(SALES, Dimension.REGION, null, 100, null)).thenReturn(new Page<>(List.of(
                new RunningTotalDto().key("West").eventCount(2L).quantitySum(4L).saleAmountSum(BigDecimal.TEN)
                        .saleAmountMin(BigDecimal.ONE).saleAmountMax(new BigDecimal("9"))), null));

        mvc.perform(get("/api/jobs/sales/totals/region").header("X-API-Key", "test-dashboard-key-0123456789"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].key").value("West"))
                .andExpect(jsonPath("$.items[0].sale_amount_sum").value(10))
                .andExpect(jsonPath("$.nextCursor").doesNotExist());
    }

    @Test
    void totalsOfOneKeyWithoutDataAreAnEmptyList() throws Exception {
        when(queries.totals(SALES, Dimension.PRODUCT, "none", 100, null)).thenReturn(new Page<>(List.of(), null));
        mvc.perform(viewer(get("/api/jobs/sales/totals/product").param("key", "none")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items").isEmpty());
    }

    @Test
    void topNAnswersTheNewestWindowsWithRankedEntries() throws Exception {
        Instant at = Instant.parse("2026-11-20T10:30:00Z");
        when(queries.topN(SALES, Dimension.PRODUCT, at, 2)).thenReturn(List.of(new TopWindowDto()
                .windowStart(T0).windowEnd(T0.plusHours(1)).entries(List.of(
                        new TopEntryDto().rank(1).key("P-1").saleAmountSum(new BigDecimal("99.99"))))));

        mvc.perform(viewer(get("/api/jobs/sales/top/product").param("windows", "2").param("at", at.toString())))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].window_end").value("2026-11-20T11:00:00Z"))
                .andExpect(jsonPath("$.items[0].entries[0].rank").value(1))
                .andExpect(jsonPath("$.items[0].entries[0].sale_amount_sum").value(99.99));
    }

    @Test
    void rawEventsDefaultToTheLastHour() throws Exception {
        when(queries.rawEvents(eq(SALES), eq("P-1"), any(), eq(5), isNull())).thenReturn(new Page<>(List.of(
                new SalesEventDto().orderId(42L).orderTime(T0).quantity(2).discountPct(new BigDecimal("0.10"))
                        .rate(new BigDecimal("5.00")).saleAmount(new BigDecimal("9.00")).customerName("Ann")
                        .state("Texas").region("Central").productKey("P-1")
                        .profitMargin(new BigDecimal("0.25"))), null));

        mvc.perform(viewer(get("/api/jobs/sales/events/P-1").param("limit", "5")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].order_id").value(42))
                .andExpect(jsonPath("$.items[0].order_time").value("2026-11-20T10:00:00Z"))
                .andExpect(jsonPath("$.items[0].product_key").value("P-1"))
                .andExpect(jsonPath("$.items[0].discount_pct").value(0.10));
        var range = org.mockito.ArgumentCaptor.forClass(QueryRange.class);
        verify(queries).rawEvents(eq(SALES), eq("P-1"), range.capture(), eq(5), isNull());
        org.assertj.core.api.Assertions.assertThat(java.time.Duration.between(range.getValue().from(),
                range.getValue().to())).isEqualTo(java.time.Duration.ofHours(1));
    }

    @Test
    void rejectsOfADay() throws Exception {
        LocalDate day = LocalDate.of(2026, 11, 20);
        when(queries.rejects(SALES, day, 100, null)).thenReturn(new Page<>(List.of(new RejectDto().source(0).seq(7L)
                .receivedAt(T0).reason("bad number: quantity").line("7,x")), null));
        mvc.perform(viewer(get("/api/jobs/sales/rejects").param("day", "2026-11-20")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.day").value("2026-11-20"))
                .andExpect(jsonPath("$.items[0].received_at").value("2026-11-20T10:00:00Z"))
                .andExpect(jsonPath("$.items[0].reason").value("bad number: quantity"));
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
        "/api/jobs/sales/rollups/color/P-1?granularity=minute | dimension",
        "/api/jobs/sales/rollups/product/P-1?granularity=week | granularity",
        "/api/jobs/sales/rollups/product/P-1 | granularity",
        "/api/jobs/sales/rollups/state/P-1?granularity=minute | dimension",
        "/api/jobs/sales/rollups/product/P-1?granularity=day | granularity",
        "/api/jobs/sales/rollups/product/P-1?granularity=minute&from=2026-11-20T11:00:00Z&to=2026-11-20T10:00:00Z | from",
        "/api/jobs/sales/rollups/product/P-1?granularity=minute&from=2026-10-01T00:00:00Z&to=2026-11-20T00:00:00Z | from",
        "/api/jobs/sales/rollups/product/P-1?granularity=minute&from=yesterday | from",
        "/api/jobs/sales/rollups/product/P-1?granularity=minute&limit=0 | limit",
        "/api/jobs/sales/rollups/product/P-1?granularity=minute&limit=1001 | limit",
        "/api/jobs/sales/rollups/product/P-1?granularity=minute&limit=ten | limit",
        "/api/jobs/sales/rollups/product/P-1?granularity=minute&cursor=not*a*cursor | cursor",
        "/api/jobs/sales/top/product?windows=0 | windows",
        "/api/jobs/sales/top/product?windows=61 | windows",
        "/api/jobs/sales/top/product?at=noon | at",
        "/api/jobs/sales/events/P-1?from=2026-01-01T00:00:00Z&to=2026-11-20T00:00:00Z | from",
        "/api/jobs/sales/rejects?day=2026-13-01 | day",
        "/api/jobs/bad..name/rejects | name",
        "/api/jobs/sales/rollups/PRODUCT/P-1?granularity=minute | dimension",
        "/api/jobs/sales/rollups/product/P-1?granularity=MINUTE | granularity",
        "/api/jobs/sales/top/product?at=-999999999-01-01T00:00:00Z | at",
        "/api/jobs/sales/events/P-1?to=+999999999-01-01T00:00:00Z | to",
    })
    void invalidParametersAre400NamingTheParameter(String uri, String parameter) throws Exception {
        mvc.perform(viewer(get(uri)))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.errors[0].field").value(parameter));
        verifyNoInteractions(queries);
    }

    @Test
    void aKeyLongerThanTheLimitIs400() throws Exception {
        mvc.perform(viewer(get("/api/jobs/sales/totals/product").param("key", "k".repeat(201))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("key"));
        verifyNoInteractions(queries);
    }

    @Test
    void parametersAreNamedAsInTheContract() throws Exception {
        mvc.perform(viewer(get("/api/jobs/sales/events/{product_key}", "p".repeat(201))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("product_key"));
        verifyNoInteractions(queries);
    }

    @Test
    void aUrlTheFirewallRejectsIsAProblemDetail() throws Exception {
        mvc.perform(viewer(get("/api/jobs/sales/totals/product;jsessionid=x")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("Rejected")));
    }

    @Test
    void anUnknownJobIs404() throws Exception {
        mvc.perform(viewer(get("/api/jobs/nope/totals/product")))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("No job named nope"));
    }

    @Test
    void withoutCredentialsIs401WithAChallenge() throws Exception {
        mvc.perform(get("/api/jobs/sales/totals/product"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", containsString("Basic")))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("about:blank"))
                .andExpect(jsonPath("$.title").value("Unauthorized"))
                .andExpect(jsonPath("$.status").value(401))
                .andExpect(jsonPath("$.detail", containsString("Authentication required")))
                .andExpect(jsonPath("$.instance").value("/api/jobs/sales/totals/product"));
        verifyNoInteractions(queries, targets);
    }

    @Test
    void wrongCredentialsAre401() throws Exception {
        mvc.perform(get("/api/jobs/sales/totals/product").with(httpBasic("test-viewer", "guess")))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("Authentication failed")));
        mvc.perform(get("/api/jobs/sales/totals/product").header("X-API-Key", "not-a-key-of-this-service"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        verifyNoInteractions(queries, targets);
    }

    @Test
    void aCallerWithoutARoleIs403() throws Exception {
        mvc.perform(get("/api/jobs/sales/totals/product").with(user("auditor").roles("auditor")))
                .andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(403));
        verifyNoInteractions(queries, targets);
    }

    @Test
    void pagingParametersReachTheQuery() throws Exception {
        when(queries.totals(eq(SALES), eq(Dimension.PRODUCT), isNull(), anyInt(), eq("AAAA")))
                .thenReturn(new Page<>(List.of(), null));
        mvc.perform(viewer(get("/api/jobs/sales/totals/product").param("limit", "1000").param("cursor", "AAAA")))
                .andExpect(status().isOk());
        verify(queries).totals(SALES, Dimension.PRODUCT, null, 1000, "AAAA");
    }
}
