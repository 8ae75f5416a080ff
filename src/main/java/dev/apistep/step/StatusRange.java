package dev.apistep.step;

/** One entry of {@code successStatuses}: an exact status ({@code 404}) or a class ({@code "2xx"}). */
public record StatusRange(int from, int to) {

    public static final StatusRange SUCCESSFUL = new StatusRange(200, 299);

    public boolean contains(int status) {
        return status >= from && status <= to;
    }
}
