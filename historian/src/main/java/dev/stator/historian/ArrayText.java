package dev.stator.historian;

import java.util.ArrayList;
import java.util.List;

/**
 * An array value as text: a type letter ({@code b} Boolean, {@code l} Long, {@code d} Double) and the elements
 * separated by commas, {@code d:1.5,-0.0,NaN}. Doubles use {@link Double#toString}, which reads back to the same
 * value. The same text schema version 1 stored, so migrated arrays need no conversion.
 */
final class ArrayText {

    private ArrayText() {
    }

    static String encode(List<?> list) {
        StringBuilder s = new StringBuilder();
        s.append(list.isEmpty() || list.get(0) instanceof Double ? 'd' : list.get(0) instanceof Long ? 'l' : 'b')
                .append(':');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                s.append(',');
            }
            Object o = list.get(i);
            s.append(o instanceof Boolean b ? (b ? "1" : "0") : o.toString());
        }
        return s.toString();
    }

    static List<Object> decode(String text) {
        char type = text.charAt(0);
        String body = text.substring(2);
        if (body.isEmpty()) {
            return List.of();
        }
        List<Object> values = new ArrayList<>();
        for (String item : body.split(",")) {
            values.add(switch (type) {
                case 'b' -> item.equals("1");
                case 'l' -> Long.parseLong(item);
                default -> Double.parseDouble(item);
            });
        }
        return List.copyOf(values);
    }
}
