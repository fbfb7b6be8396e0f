import Foundation

/// Charts drawn as inline SVG by our own code: no script, no library, readable without colour
/// (a table with the same figures sits beside each chart). Every text placed in the drawing is
/// escaped here, since the page inserts the SVG as it is.
enum WebCharts {
    struct Series {
        var name: String
        var values: [Double?]
    }

    /// Lines over `labels` (one point per label; a nil value breaks the line), each series on its
    /// own scale when `separateScales` (then each line spans the height: a trend, not a level).
    static func lines(labels: [String], series: [Series], title: String, format: (Double) -> String) -> String {
        let width = 640.0
        let height = 220.0
        let left = 56.0
        let right = 28.0
        let top = 12.0
        let bottom = 28.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let values = series.flatMap { $0.values.compactMap { $0 } }.filter(\.isFinite)
        var low = min(0, values.min() ?? 0)
        var high = values.max() ?? 1
        if high <= low { high = low + 1 }
        let pad = (high - low) * 0.08
        high += pad
        if low < 0 { low -= pad }
        func x(_ index: Int) -> Double { labels.count < 2 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(labels.count - 1) }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - (value - low) / (high - low)) }
        var svg =
            "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\" "
            + "xmlns=\"http://www.w3.org/2000/svg\"><title>\(escape(title))</title>"
        for step in 0...4 {
            let value = low + (high - low) * Double(step) / 4
            let yy = y(value)
            svg += "<line class=\"grid\" x1=\"\(f(left))\" y1=\"\(f(yy))\" x2=\"\(f(width - right))\" y2=\"\(f(yy))\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(yy + 4))\" text-anchor=\"end\">\(escape(format(value)))</text>"
        }
        svg += "<line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(width - right))\" y2=\"\(f(top + plotHeight))\"/>"
        let every = max(1, Int((Double(labels.count) / 8).rounded(.up)))
        for (index, label) in labels.enumerated() where index % every == 0 || index == labels.count - 1 {
            svg += "<text x=\"\(f(x(index)))\" y=\"\(f(height - 8))\" text-anchor=\"middle\">\(escape(label))</text>"
        }
        for (number, line) in series.enumerated() {
            var path = ""
            var drawing = false
            for (index, value) in line.values.enumerated() {
                guard let value, value.isFinite else {
                    drawing = false
                    continue
                }
                path += (drawing ? " L" : " M") + "\(f(x(index))) \(f(y(value)))"
                drawing = true
            }
            if !path.isEmpty { svg += "<path class=\"line-\(number % 2)\" d=\"\(path)\"><title>\(escape(line.name))</title></path>" }
        }
        return svg + "</svg>"
    }

    /// Bars, one per label, with their class (`bar`, `bar late`, `bar bad`).
    static func bars(_ bars: [(label: String, value: Double, style: String)], title: String, format: (Double) -> String) -> String {
        let width = 640.0
        let height = 200.0
        let top = 16.0
        let bottom = 30.0
        let plotHeight = height - top - bottom
        let high = max(bars.map(\.value).filter(\.isFinite).max() ?? 1, 1e-9)
        let slot = (width - 16) / Double(max(bars.count, 1))
        var svg =
            "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\" "
            + "xmlns=\"http://www.w3.org/2000/svg\"><title>\(escape(title))</title>"
        for (index, bar) in bars.enumerated() {
            let value = bar.value.isFinite ? max(0, bar.value) : 0
            let barHeight = plotHeight * value / high
            let x = 8 + slot * Double(index) + slot * 0.15
            let y = top + plotHeight - barHeight
            svg += "<rect class=\"\(escape(bar.style))\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(slot * 0.7))\" height=\"\(f(barHeight))\">"
            svg += "<title>\(escape(bar.label)): \(escape(format(bar.value)))</title></rect>"
            svg += "<text x=\"\(f(x + slot * 0.35))\" y=\"\(f(height - 10))\" text-anchor=\"middle\">\(escape(bar.label))</text>"
            svg += "<text x=\"\(f(x + slot * 0.35))\" y=\"\(f(max(y - 3, 10)))\" text-anchor=\"middle\">\(escape(format(bar.value)))</text>"
        }
        return svg + "</svg>"
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value.isFinite ? value : 0) }

    /// Text safe inside SVG markup and attributes.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
