package io.streamcontrol.control.audit;

import io.streamcontrol.control.api.AuditApi;
import io.streamcontrol.control.api.model.AuditEntryDto;
import io.streamcontrol.control.api.model.AuditPageDto;
import io.streamcontrol.control.system.Pages.Page;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AuditController implements AuditApi {

    private final AuditLog log;

    AuditController(AuditLog log) {
        this.log = log;
    }

    @Override
    public ResponseEntity<AuditPageDto> listAudit(LocalDate day, Integer limit, String cursor) {
        Page<AuditLog.Entry> page = log.day(day != null ? day : LocalDate.now(ZoneOffset.UTC), limit, cursor);
        return ResponseEntity.ok(new AuditPageDto()
                .items(page.items().stream().map(e -> new AuditEntryDto().at(e.at().atOffset(ZoneOffset.UTC))
                        .caller(e.caller()).action(e.action()).job(e.job()).outcome(e.outcome()).detail(e.detail()))
                        .toList())
                .nextCursor(page.nextCursor()));
    }
}
