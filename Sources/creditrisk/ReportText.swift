import CreditApp
import CreditCore

/// Plain-text tables for the terminal.
struct ImportSummaryText {
    let summary: ImportSummary

    init(_ summary: ImportSummary) { self.summary = summary }

    var text: String {
        var rows = [["file", "rows", "inserted", "updated", "unchanged"]]
        for file in summary.files {
            rows.append([file.fileName, grouped(file.rowsRead), grouped(file.inserted), grouped(file.updated), grouped(file.unchanged)])
        }
        var lines = ["Imported (base currency \(summary.baseCurrency)):"] + table(rows)
        if !summary.ignoredFiles.isEmpty {
            lines.append("Ignored (not ledger files): " + summary.ignoredFiles.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}

struct SummaryText {
    let summary: PortfolioSummary
    let currency: String

    var text: String {
        let aged = summary.agedBalance
        func share(_ money: Money) -> String {
            guard aged.receivables.cents > 0 else { return "-" }
            return percent(Double(money.cents) / Double(aged.receivables.cents))
        }
        var lines = [
            "Portfolio as of \(summary.asOf.iso)",
            "  customers            \(grouped(summary.customers)) (\(grouped(summary.customersWithOpenItems)) with open items)",
            "  invoices             \(grouped(summary.invoices)) (\(grouped(summary.openItems)) open)",
            "  open receivables     \(summary.openReceivables.formatted) \(currency) (after \(aged.unappliedCredits.formatted) unapplied credits)",
            "  overdue              \(aged.overdue.formatted) \(currency) (\(percent(summary.overdueShare)) of receivables)",
            "  open disputes        \(grouped(summary.openDisputes)) on \(summary.disputedAmount.formatted) \(currency)",
            "",
            "Aged balance",
        ]
        let rows = [
            ["bucket", "amount (\(currency))", "share"],
            ["not due", aged.notDue.formatted, share(aged.notDue)],
            ["1-30 days", aged.days1to30.formatted, share(aged.days1to30)],
            ["31-60 days", aged.days31to60.formatted, share(aged.days31to60)],
            ["61-90 days", aged.days61to90.formatted, share(aged.days61to90)],
            ["over 90 days", aged.over90.formatted, share(aged.over90)],
            ["receivables", aged.receivables.formatted, share(aged.receivables)],
            ["unapplied credits", aged.unappliedCredits.formatted, ""],
            ["net open balance", aged.total.formatted, ""],
        ]
        lines += table(rows, rightAligned: [1, 2]).map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}

/// Columns padded to their widest cell; numbers right-aligned.
func table(_ rows: [[String]], rightAligned: Set<Int>? = nil) -> [String] {
    guard let first = rows.first else { return [] }
    let right = rightAligned ?? Set(1..<first.count)
    var widths = Array(repeating: 0, count: first.count)
    for row in rows {
        for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    return rows.map { row in
        row.enumerated().map { index, cell in
            let pad = String(repeating: " ", count: widths[index] - cell.count)
            return right.contains(index) ? pad + cell : cell + pad
        }.joined(separator: "  ")
    }
}

/// A count with its noun, plural unless one: "1 alert", "3 alerts".
func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}

/// 0.1234 as "12.3 %".
func percent(_ fraction: Double) -> String {
    guard fraction.isFinite, abs(fraction) < 1e12 else { return "n/a" }
    let tenths = Int((fraction * 1000).rounded())
    return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10) %"
}
