// Slider — a knob of an explorer drawn as the course's "temperature slider" promises: a track, a marker at the
// value, the number beside the name, and the knob the arrow keys move now highlighted.
//
//   ▸ T 0.70      ├──────●─────────────┤ 0–2
//     top-p 0.90  ├─────────────────●──┤ 0–1

public struct Slider: Equatable, Sendable {
    public var name: String
    /// The value as shown ("0.70", "off").
    public var value: String
    /// Where the marker sits on the track, 0…1 (clamped: T 3.0 on a 0–2 track sits at the right end).
    public var fraction: Double
    /// The track's ends, e.g. "0–2".
    public var range: String
    public var active: Bool

    public init(_ name: String, value: String, fraction: Double, range: String, active: Bool) {
        (self.name, self.value, self.fraction, self.range, self.active) = (name, value, fraction, range, active)
    }

    /// One line: marker, "name value" padded to `labelCells`, the track of `trackCells` cells, the range.
    public func line(labelCells: Int = 14, trackCells: Int = 21) -> OutputText {
        let n = max(3, trackCells) - 2
        let at = Int((min(1, max(0, fraction)) * Double(n - 1)).rounded())
        let track = "├" + String(repeating: "─", count: at) + "●" + String(repeating: "─", count: n - 1 - at) + "┤"
        let label = EastAsianWidth.pad("\(name) \(value)", toCells: labelCells)
        return OutputText(spans: [TextSpan(active ? "▸ " : "  ", .accent), TextSpan(label, active ? .strong : .plain),
                                  TextSpan(track, active ? .accent : .dim), TextSpan(" " + range, .dim)])
    }
}
