// The scatter plot's labels: crowded points never get their labels written over one another — each label appears
// whole on the plot (beside its point, on its row) or is listed under it as having no room, by the mark drawn in
// place of its point.
import Foundation
import LabCore
import Testing
@testable import Lab

@Test func crowdedScatterLabelsAreWholeOrListed() {
    // Twelve points in a small corner, two of them on the same spot, labels of mixed widths (CJK takes two cells).
    let labels = ["france", "italy", "china", "paris", "rome", "beijing", "猫", "狗", "cat", "dog", "cow", "duck"]
    let points = labels.enumerated().map { i, l in
        ScatterPoint(l, x: i == 11 ? 0.0 : 0.02 * Double(i % 4), y: i == 11 ? 0.0 : 0.02 * Double(i / 4))
    } + [ScatterPoint("far", x: 1, y: 1)]
    let lines = OutputLayout.lines(.scatter(Scatter(title: "crowded", points: points)), width: 40, height: 14).map(\.text)
    print(lines.joined(separator: "\n"))
    let note = lines.firstIndex { $0.hasPrefix("no room to label:") } ?? lines.count
    #expect(lines.allSatisfy { EastAsianWidth.cells($0) <= 40 }, "nothing wider than the plot")
    let listed = Set(lines[note...].joined(separator: " ").dropFirst("no room to label:".count)
        .replacingOccurrences(of: #"\(where \w+ is\)"#, with: "", options: .regularExpression)
        .split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init))
    let plot = lines[1..<note].joined(separator: "\n")
    for label in labels + ["far"] {
        let shown = plot.range(of: label) != nil
        #expect(shown != listed.contains(label), "\(label): shown \(shown), listed \(listed.contains(label))")
    }
    // No label runs into another: every plotted word is delimited by space, a point, the frame or the edge.
    let words = plot.split(whereSeparator: { " •│└─┌┐┘↑→".contains($0) || $0.isNumber || $0 == "\n" || $0 == "." || $0 == "−" })
    for w in words where !["PC", "x", "y"].contains(String(w)) {
        #expect((labels + ["far"]).contains(String(w)), "'\(w)' on the plot is not one whole label")
    }
    print("shown on the plot: \(labels.count + 1 - listed.count), listed: \(listed.sorted())")
}

/// Points on one spot whose labels have no room: each listed one points at something on the plot — a label or a
/// mark. Two of them named each other, and neither could be found (w17 explorer walk 7).
@Test func aPointOnAnothersSpotNamesWhatThePlotShows() {
    // Labels too long for either side of the middle: none of the three on one spot can be written there.
    let points = [ScatterPoint("romeromeromeromerome", x: 0.5, y: 0.5), ScatterPoint("tokyotokyotokyotokyo", x: 0.5, y: 0.5),
                  ScatterPoint("parisparisparisparis", x: 0.5, y: 0.5),
                  ScatterPoint("a", x: 0.48, y: 0.5), ScatterPoint("b", x: 0.52, y: 0.5),
                  ScatterPoint("lo", x: 0, y: 0), ScatterPoint("hi", x: 1, y: 1)]
    for language in LessonLanguage.allCases {
        let lines = Learner.$language.withValue(language) {
            OutputLayout.lines(.scatter(Scatter(title: "t", points: points)), width: 40, height: 12).map(\.text)
        }
        print(lines.joined(separator: "\n"))
        let note = lines.firstIndex { $0.hasPrefix(language == .zh ? "没地方标注的点：" : "no room to label:") } ?? lines.count
        // The grid alone: right of the tick column, above the x axis (whose "0 … 1" would match any mark).
        let plot = lines[1..<note].prefix { !$0.contains("└") }.map { String($0.drop { $0 != "│" }) }.joined(separator: "\n")
        let listed = lines[note...].joined(separator: " ")
        let pattern = language == .zh ? #"和 ?(\S+?) ?在同一处"# : #"where (\S+) is"#
        let targets = listed.matches(of: try! Regex(pattern)).compactMap { $0.output[1].substring.map(String.init) }
        #expect(!targets.isEmpty, "\(listed)")
        for target in targets { #expect(plot.contains(target), "\(target) is not on the plot:\n\(plot)") }
    }
}

@Test func aChineseScatterListsItsUnlabelledPointsInChinese() {
    let points = (0..<12).map { ScatterPoint("词\($0)", x: 0, y: 0) } + [ScatterPoint("远", x: 1, y: 1)]
    let lines = Learner.$language.withValue(.zh) {
        OutputLayout.lines(.scatter(Scatter(title: "t", points: points)), width: 40, height: 12).map(\.text)
    }
    let note = lines.first { $0.hasPrefix("没地方标注的点：") }
    #expect(note != nil && note?.contains("no room") == false, "\(lines.joined(separator: "\n"))")
    #expect(note?.contains("、") == true, "listed with 、: \(note ?? "")")
    #expect(note?.contains("： ") == false && note?.contains("、 ") == false, "no space after full-width marks: \(note ?? "")")
}
