import CreditCore
import Foundation

/// The two pictures of a model validation as standalone SVG, drawn by our own code so that the
/// CLI, the API and the web pages show the same thing without a chart library: the ROC curve
/// (how well the PD ranks defaulters first) and the calibration plot (predicted against observed).
public enum ValidationCharts {
    static let size = 420.0
    static let margin = 50.0
    static let colours = ["#1f5fa8", "#c2410c", "#15803d", "#7e22ce"]

    /// ROC curves, one per model, with the diagonal of a coin toss.
    public static func roc(_ curves: [(version: String, points: [ROCPoint], auc: Double?)]) -> String {
        var body = frame(title: "ROC curve", xLabel: "false positive rate (survivors flagged)", yLabel: "true positive rate (defaulters flagged)")
        body += line([(0, 0), (1, 1)], colour: "#999", dashed: true)
        for (index, curve) in curves.enumerated() {
            let points = [(0.0, 0.0)] + curve.points.map { ($0.falsePositiveRate, $0.truePositiveRate) } + [(1.0, 1.0)]
            body += line(points, colour: colours[index % colours.count], dashed: false)
            let label = "\(curve.version)" + (curve.auc.map { String(format: " (AUC %.3f)", $0) } ?? "")
            body += legend(index, label)
        }
        return document(body)
    }

    /// Mean PD against observed default rate per PD bin, on square-root axes (PDs crowd near 0),
    /// with the diagonal of perfect calibration.
    public static func calibration(_ curves: [(version: String, bins: [CalibrationBin])]) -> String {
        let highest = max(0.01, curves.flatMap { $0.bins.flatMap { [$0.meanPD, $0.observedDefaultRate] } }.max() ?? 0.01)
        func scale(_ value: Double) -> Double { (max(0, value) / highest).squareRoot() }
        var body = frame(
            title: "Calibration", xLabel: "mean PD (√ scale, up to \(String(format: "%.1f", highest * 100)) %)",
            yLabel: "observed default rate (√ scale)")
        body += line([(0, 0), (1, 1)], colour: "#999", dashed: true)
        for (index, curve) in curves.enumerated() {
            let colour = colours[index % colours.count]
            let points = curve.bins.map { (scale($0.meanPD), scale($0.observedDefaultRate)) }
            body += line(points, colour: colour, dashed: false)
            for (x, y) in points {
                body += "<circle cx=\"\(f(px(x)))\" cy=\"\(f(py(y)))\" r=\"3.5\" fill=\"\(colour)\"/>\n"
            }
            body += legend(index, curve.version)
        }
        return document(body)
    }

    static func px(_ x: Double) -> Double { margin + min(1, max(0, x)) * (size - 2 * margin) }
    static func py(_ y: Double) -> Double { size - margin - min(1, max(0, y)) * (size - 2 * margin) }
    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func document(_ body: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(size))" height="\(Int(size))" viewBox="0 0 \(Int(size)) \(Int(size))" font-family="sans-serif" font-size="11">
        <rect width="100%" height="100%" fill="white"/>
        \(body)</svg>

        """
    }

    static func frame(title: String, xLabel: String, yLabel: String) -> String {
        var text = "<text x=\"\(f(size / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">\(escaped(title))</text>\n"
        text +=
            "<rect x=\"\(f(margin))\" y=\"\(f(margin))\" width=\"\(f(size - 2 * margin))\" height=\"\(f(size - 2 * margin))\" fill=\"none\" stroke=\"#333\"/>\n"
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            text += "<text x=\"\(f(px(tick)))\" y=\"\(f(size - margin + 14))\" text-anchor=\"middle\">\(String(format: "%.2f", tick))</text>\n"
            text += "<text x=\"\(f(margin - 6))\" y=\"\(f(py(tick) + 4))\" text-anchor=\"end\">\(String(format: "%.2f", tick))</text>\n"
        }
        text += "<text x=\"\(f(size / 2))\" y=\"\(f(size - 12))\" text-anchor=\"middle\">\(escaped(xLabel))</text>\n"
        text += "<text transform=\"translate(14 \(f(size / 2))) rotate(-90)\" text-anchor=\"middle\">\(escaped(yLabel))</text>\n"
        return text
    }

    static func line(_ points: [(Double, Double)], colour: String, dashed: Bool) -> String {
        let path = points.map { "\(f(px($0.0))),\(f(py($0.1)))" }.joined(separator: " ")
        return "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"4 4\"" : "")/>\n"
    }

    static func legend(_ index: Int, _ label: String) -> String {
        let y = margin + 16 + Double(index) * 16
        let colour = colours[index % colours.count]
        return "<rect x=\"\(f(size - margin - 170))\" y=\"\(f(y - 9))\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>"
            + "<text x=\"\(f(size - margin - 155))\" y=\"\(f(y))\">\(escaped(label))</text>\n"
    }
}
