import CreditCore
import StreamingJSON

/// An assessment's detail and its verdict written by hand: the bytes their `Codable` conformance
/// writes through `JSONEncoder` (a test holds them identical on every demo assessment and on
/// assessments with every optional figure present and absent), at a fifth of the cost. A scoring
/// run writes 100k of each. A field added to one of these types must be added here too; the
/// test fails until it is.
extension Assessment {
    /// The detail as stored: keys in declaration order, as `JSONEncoder` without options writes it.
    func detailJSON() throws -> [UInt8] {
        var json = JSONWriter(capacity: 4096)
        try write(to: &json)
        return json.bytes
    }

    func write(to json: inout JSONWriter) throws {
        json.beginObject()
        json.member("customerId", customerId)
        json.member("asOf", asOf)
        json.member("modelVersion", modelVersion)
        try json.member("pd", pd)
        json.member("score", score)
        json.member("grade", grade)
        json.member("uncappedGrade", uncappedGrade)
        json.member("inDefault", inDefault)
        json.member("suggestedLimit", suggestedLimit)
        json.key("limitStep")
        limitStep.write(to: &json)
        json.member("recommendation", recommendation.rawValue)
        json.key("reasons")
        json.beginArray()
        for reason in reasons {
            json.element()
            json.beginObject()
            json.member("code", reason.code.rawValue)
            try json.member("effect", reason.effect)
            json.member("text", reason.text)
            json.endObject()
        }
        json.endArray()
        json.key("contributions")
        json.beginArray()
        for contribution in contributions {
            json.element()
            json.beginObject()
            json.member("component", contribution.component.rawValue)
            try json.member("value", contribution.value)
            try json.member("effect", contribution.effect)
            json.member("missing", contribution.missing)
            json.member("capped", contribution.capped)
            json.endObject()
        }
        json.endArray()
        try json.member("priorPD", priorPD)
        try json.member("logOdds", logOdds)
        json.key("paymentProfile")
        try paymentProfile.write(to: &json)
        json.key("sectorBenchmark")
        try sectorBenchmark.write(to: &json)
        if let financialProfile {
            json.key("financialProfile")
            try financialProfile.write(to: &json)
        }
        json.member("exposure", exposure)
        json.key("evidence")
        evidence.write(to: &json)
        json.endObject()
    }

    /// The verdict's JSON with its keys sorted, as `JSONEncoder` with `.sortedKeys` writes it: what
    /// the fingerprint hashes, so it must stay byte for byte what fingerprints were made of.
    func verdictJSON() -> [UInt8] {
        let verdict = self.verdict
        var json = JSONWriter(capacity: 512)
        json.beginObject()
        json.member("brokenPromises", verdict.brokenPromises)
        json.key("evidence")
        verdict.evidence.writeSorted(to: &json)
        json.member("exposure", verdict.exposure)
        json.member("grade", verdict.grade)
        json.member("inDefault", verdict.inDefault)
        json.member("limitBasis", verdict.limitBasis.rawValue)
        json.member("modelVersion", verdict.modelVersion)
        json.member("openDisputes", verdict.openDisputes)
        json.member("recommendation", verdict.recommendation.rawValue)
        json.member("suggestedLimit", verdict.suggestedLimit)
        json.member("thinFile", verdict.thinFile)
        json.member("uncappedGrade", verdict.uncappedGrade)
        json.endObject()
        return json.bytes
    }
}

extension JSONWriter {
    mutating func member(_ name: StaticString, _ day: Day?) {
        guard let day else { return }
        member(name, day.iso)
    }

    mutating func member(_ name: StaticString, _ money: Money?) {
        guard let money else { return }
        member(name, money.decimalText)
    }

    mutating func member(_ name: StaticString, _ grade: Grade) {
        key(name)
        beginObject()
        member("code", grade.code)
        member("rank", grade.rank)
        endObject()
    }
}

extension LimitStep {
    fileprivate func write(to json: inout JSONWriter) {
        json.beginObject()
        json.member("basis", basis.rawValue)
        json.member("unrounded", unrounded)
        json.member("explanation", explanation)
        json.key("candidates")
        json.beginArray()
        for candidate in candidates {
            json.element()
            json.beginObject()
            json.member("basis", candidate.basis.rawValue)
            json.member("amount", candidate.amount)
            json.member("detail", candidate.detail)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }
}

extension PaymentProfile {
    fileprivate func write(to json: inout JSONWriter) throws {
        json.beginObject()
        json.member("asOf", asOf)
        json.member("windowStart", windowStart)
        try json.member("averageDaysBeyondTerms", averageDaysBeyondTerms)
        try json.member("signedAverageDaysBeyondTerms", signedAverageDaysBeyondTerms)
        try json.member("paymentIndex", paymentIndex)
        try json.member("lateShare", lateShare)
        try json.member("recentDaysBeyondTerms", recentDaysBeyondTerms)
        try json.member("earlierDaysBeyondTerms", earlierDaysBeyondTerms)
        json.member("worstDaysBeyondTerms", worstDaysBeyondTerms)
        json.member("weightedAmount", weightedAmount)
        json.member("events", events)
        json.key("agedBalance")
        json.beginObject()
        json.member("notDue", agedBalance.notDue)
        json.member("days1to30", agedBalance.days1to30)
        json.member("days31to60", agedBalance.days31to60)
        json.member("days61to90", agedBalance.days61to90)
        json.member("over90", agedBalance.over90)
        json.member("unappliedCredits", agedBalance.unappliedCredits)
        json.endObject()
        json.member("exposure", exposure)
        try json.member("overdueShare", overdueShare)
        json.member("openDisputes", openDisputes)
        json.member("recentDisputes", recentDisputes)
        json.member("disputesScored", disputesScored)
        json.member("disputedAmount", disputedAmount)
        json.member("brokenPromises", brokenPromises)
        json.key("brokenPromiseDetails")
        json.beginArray()
        for promise in brokenPromiseDetails {
            json.element()
            json.beginObject()
            json.member("invoiceId", promise.invoiceId)
            json.member("promisedOn", promise.promisedOn)
            json.member("payBy", promise.payBy)
            json.member("deadline", promise.deadline)
            json.member("promised", promise.promised)
            json.member("paid", promise.paid)
            json.endObject()
        }
        json.endArray()
        json.member("invoicesInWindow", invoicesInWindow)
        json.member("firstInvoice", firstInvoice)
        json.member("lastInvoice", lastInvoice)
        json.member("lastPayment", lastPayment)
        json.member("isThinFile", isThinFile)
        json.member("seriouslyPastDue", seriouslyPastDue)
        json.member("isPastDueDefault", isPastDueDefault)
        json.member("highestExposurePaidWell", highestExposurePaidWell)
        json.endObject()
    }
}

extension SectorBenchmark {
    fileprivate func write(to json: inout JSONWriter) throws {
        json.beginObject()
        json.member("sectorCode", sectorCode)
        json.member("sectorLabel", sectorLabel)
        json.member("usedPortfolioAverage", usedPortfolioAverage)
        try json.member("sectorDaysBeyondTerms", sectorDaysBeyondTerms)
        try json.member("customerDaysBeyondTerms", customerDaysBeyondTerms)
        try json.member("sectorFailureRate", sectorFailureRate)
        try json.member("priorPD", priorPD)
        json.endObject()
    }
}

extension FinancialProfile {
    fileprivate func write(to json: inout JSONWriter) throws {
        json.beginObject()
        json.member("periodEnd", periodEnd)
        json.member("periodMonths", periodMonths)
        try json.member("ageMonths", ageMonths)
        try json.member("ageWeight", ageWeight)
        try json.member("x1", x1)
        try json.member("x2", x2)
        try json.member("x3", x3)
        try json.member("x4", x4)
        try json.member("zScore", zScore)
        json.member("zone", zone?.rawValue)
        try json.member("equityRatio", equityRatio)
        try json.member("currentRatio", currentRatio)
        try json.member("netMargin", netMargin)
        json.member("hasNegativeEquity", hasNegativeEquity)
        json.member("hasLoss", hasLoss)
        json.member("equity", equity)
        json.member("annualRevenue", annualRevenue)
        json.key("missingFigures")
        json.beginArray()
        for figure in missingFigures {
            json.element()
            json.string(figure)
        }
        json.endArray()
        // A dictionary keyed by a component is written in its own order, as `Codable` does.
        json.key("ratios")
        json.beginObject()
        for (component, ratio) in ratios {
            json.key(component.rawValue)
            try json.double(ratio)
        }
        json.endObject()
        json.endObject()
    }
}

extension EvidenceSummary {
    fileprivate func write(to json: inout JSONWriter) {
        json.beginObject()
        json.member("invoices", invoices)
        json.member("payments", payments)
        json.member("disputes", disputes)
        json.member("firstInvoice", firstInvoice)
        json.member("lastInvoice", lastInvoice)
        json.member("lastPayment", lastPayment)
        json.member("statementPeriodEnd", statementPeriodEnd)
        json.member("sectorCode", sectorCode)
        json.endObject()
    }

    /// Keys in code-point order, for the verdict.
    fileprivate func writeSorted(to json: inout JSONWriter) {
        json.beginObject()
        json.member("disputes", disputes)
        json.member("firstInvoice", firstInvoice)
        json.member("invoices", invoices)
        json.member("lastInvoice", lastInvoice)
        json.member("lastPayment", lastPayment)
        json.member("payments", payments)
        json.member("sectorCode", sectorCode)
        json.member("statementPeriodEnd", statementPeriodEnd)
        json.endObject()
    }
}
