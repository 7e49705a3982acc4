// Heatmap, Scatter, LinePlot — the three pictures of the lab: attention weights (a query row attends over key
// columns), an embedding map (words as labelled points, e.g. a 2-D PCA of word vectors), and training curves.

/// A matrix of values with labels on both axes; shades scale from `minimum` to `maximum`.
public struct Heatmap: Codable, Sendable, Equatable {
    public var title: String?
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// [rows][columns]; NaN cells (e.g. masked attention) are drawn blank.
    public var values: [[Double]]
    /// The value range the shades span; nil: the smallest and largest finite values.
    public var minimum: Double?
    public var maximum: Double?

    public init(title: String? = nil, rowLabels: [String], columnLabels: [String], values: [[Double]],
                minimum: Double? = nil, maximum: Double? = nil) {
        if let problem = Self.shapeProblem(rows: rowLabels.count, columns: columnLabels.count, values) { preconditionFailure(problem) }
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.minimum = minimum
        self.maximum = maximum
    }

    enum CodingKeys: String, CodingKey { case title, rowLabels, columnLabels, values, minimum, maximum }

    /// JSON has no NaN: a NaN cell (masked) is written as null.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(title, forKey: .title)
        try c.encode(rowLabels, forKey: .rowLabels)
        try c.encode(columnLabels, forKey: .columnLabels)
        try c.encode(values.map { $0.map { $0.isNaN ? nil : $0 } }, forKey: .values)
        try c.encodeIfPresent(minimum, forKey: .minimum)
        try c.encodeIfPresent(maximum, forKey: .maximum)
    }

    /// Values that do not fit the labels are an error of the JSON, not a trap.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let rowLabels = try c.decode([String].self, forKey: .rowLabels)
        let columnLabels = try c.decode([String].self, forKey: .columnLabels)
        let values = try c.decode([[Double?]].self, forKey: .values).map { $0.map { $0 ?? .nan } }
        if let problem = Self.shapeProblem(rows: rowLabels.count, columns: columnLabels.count, values) {
            throw DecodingError.dataCorruptedError(forKey: .values, in: c, debugDescription:
                problem + " HINT: give one row of values per row label, each with one value per column label.")
        }
        self.init(title: try c.decodeIfPresent(String.self, forKey: .title), rowLabels: rowLabels,
                  columnLabels: columnLabels, values: values,
                  minimum: try c.decodeIfPresent(Double.self, forKey: .minimum),
                  maximum: try c.decodeIfPresent(Double.self, forKey: .maximum))
    }

    /// What is wrong when `values` is not [rows][columns]; nil when it fits.
    static func shapeProblem(rows: Int, columns: Int, _ values: [[Double]]) -> String? {
        if values.count != rows { return "Heatmap: \(values.count) rows of values for \(rows) row labels." }
        guard let r = values.firstIndex(where: { $0.count != columns }) else { return nil }
        return "Heatmap: row \(r) has \(values[r].count) values for \(columns) column labels."
    }

    /// NaN cells are equal to each other (a masked cell is the same masked cell).
    public static func == (a: Heatmap, b: Heatmap) -> Bool {
        a.title == b.title && a.rowLabels == b.rowLabels && a.columnLabels == b.columnLabels
            && a.minimum == b.minimum && a.maximum == b.maximum && a.values.count == b.values.count
            && zip(a.values, b.values).allSatisfy { r in
                r.0.count == r.1.count && zip(r.0, r.1).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
            }
    }

    /// The range the shades span.
    public var range: (low: Double, high: Double) {
        let finite = values.joined().filter(\.isFinite)
        return (minimum ?? finite.min() ?? 0, maximum ?? finite.max() ?? 1)
    }
}

public struct ScatterPoint: Codable, Sendable, Equatable {
    public var label: String
    public var x: Double
    public var y: Double
    public init(_ label: String, x: Double, y: Double) { self.label = label; self.x = x; self.y = y }
}

/// Labelled points in the plane.
public struct Scatter: Codable, Sendable, Equatable {
    public var title: String?
    public var xLabel: String
    public var yLabel: String
    public var points: [ScatterPoint]
    public init(title: String? = nil, xLabel: String = "x", yLabel: String = "y", points: [ScatterPoint]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.points = points
    }
}

/// One named curve: y over x.
public struct PlotSeries: Codable, Sendable, Equatable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public init(name: String, x: [Double], y: [Double]) {
        if let problem = Self.lengthProblem(name: name, x: x, y: y) { preconditionFailure(problem) }
        self.name = name
        self.x = x
        self.y = y
    }

    enum CodingKeys: String, CodingKey { case name, x, y }

    /// x and y of different lengths are an error of the JSON, not a trap.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .name)
        let x = try c.decode([Double].self, forKey: .x), y = try c.decode([Double].self, forKey: .y)
        if let problem = Self.lengthProblem(name: name, x: x, y: y) {
            throw DecodingError.dataCorruptedError(forKey: .y, in: c, debugDescription:
                problem + " HINT: give one y value per x value.")
        }
        self.init(name: name, x: x, y: y)
    }

    /// What is wrong when x and y differ in length; nil when they pair up.
    static func lengthProblem(name: String, x: [Double], y: [Double]) -> String? {
        x.count == y.count ? nil : "PlotSeries \(name): \(x.count) x values for \(y.count) y values."
    }
    /// y against 0, 1, 2…
    public init(name: String, y: [Double]) { self.init(name: name, x: y.indices.map(Double.init), y: y) }
}

/// Curves on shared axes (each series gets its own mark: • ∘ × +).
public struct LinePlot: Codable, Sendable, Equatable {
    public var title: String?
    public var xLabel: String
    public var yLabel: String
    public var series: [PlotSeries]
    public init(title: String? = nil, xLabel: String = "x", yLabel: String = "y", series: [PlotSeries]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }
}
