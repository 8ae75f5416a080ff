package dev.apistep.capture;

/** The hostile documents of {@link XmlCaptureTest}, for the event-path tests. */
public final class XmlCaptureTestAccess {

    public static final String BILLION_LAUGHS = XmlCaptureTest.BILLION_LAUGHS;

    private XmlCaptureTestAccess() {
    }
}
