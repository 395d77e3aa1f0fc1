package io.streamcontrol.contract.events;

import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.settings.LineFormat;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A sales order, the default event. Field order is the CSV column order; field names (snake_case) are the JSON names.
 * {@code orderId} is unique per source and is also the source's sequence number.
 */
public record SalesEvent(
        long orderId,
        Instant orderTime,
        int quantity,
        BigDecimal discountPct,
        BigDecimal rate,
        BigDecimal saleAmount,
        String customerName,
        String state,
        String region,
        String productKey,
        BigDecimal profitMargin) implements Serializable {

    /** Wire names, in CSV column order. */
    public static final String[] FIELDS = {
        "order_id", "order_time", "quantity", "discount_pct", "rate", "sale_amount",
        "customer_name", "state", "region", "product_key", "profit_margin"
    };

    /** The value of one of the rollup dimensions. */
    public String dimensionValue(Dimension dimension) {
        return switch (dimension) {
            case PRODUCT -> productKey;
            case REGION -> region;
            case STATE -> state;
        };
    }

    public String toCsv() {
        return orderId + "," + orderTime + "," + quantity + "," + discountPct.toPlainString() + ","
                + rate.toPlainString() + "," + saleAmount.toPlainString() + "," + customerName + "," + state + ","
                + region + "," + productKey + "," + profitMargin.toPlainString();
    }

    public String toJson() {
        return "{\"order_id\":" + orderId
                + ",\"order_time\":\"" + orderTime + "\""
                + ",\"quantity\":" + quantity
                + ",\"discount_pct\":" + discountPct.toPlainString()
                + ",\"rate\":" + rate.toPlainString()
                + ",\"sale_amount\":" + saleAmount.toPlainString()
                + ",\"customer_name\":" + jsonString(customerName)
                + ",\"state\":" + jsonString(state)
                + ",\"region\":" + jsonString(region)
                + ",\"product_key\":" + jsonString(productKey)
                + ",\"profit_margin\":" + profitMargin.toPlainString()
                + "}";
    }

    public String format(LineFormat format) {
        return format == LineFormat.CSV ? toCsv() : toJson();
    }

    private static String jsonString(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
