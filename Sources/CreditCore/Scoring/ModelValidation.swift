import Foundation

/// Checks that a decoded model makes sense as a whole: the decoder only knows types, not that
/// PD bands must rise or that every grade needs a limit rule.
extension ScoringModel {
    func validate() throws(ModelError) {
        func fail(_ field: String, _ rule: String) -> ModelError {
            ModelError(field: field, message: "\(field) \(rule)")
        }
        func probability(_ value: Double, _ field: String, open: Bool = true) throws(ModelError) {
            guard value.isFinite, open ? (value > 0 && value < 1) : (value >= 0 && value <= 1) else {
                throw fail(field, open ? "must be a probability strictly between 0 and 1" : "must be between 0 and 1")
            }
        }
        func finite(_ value: Double, _ field: String) throws(ModelError) {
            guard value.isFinite else { throw fail(field, "must be a finite number") }
        }

        guard !version.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail("version", "must not be empty") }

        // Day windows are added to dates: beyond ten years none means anything, and a huge one
        // would overflow the day arithmetic.
        func window(_ days: Int, _ field: String) throws(ModelError) {
            guard days.magnitude <= ScoringModel.longestWindowDays else {
                throw fail(field, "must be at most \(ScoringModel.longestWindowDays) days (ten years)")
            }
        }
        for (days, field) in [
            (paymentBehaviour.trailingDays, "paymentBehaviour.trailingDays"),
            (paymentBehaviour.lateThresholdDays, "paymentBehaviour.lateThresholdDays"),
            (paymentBehaviour.recentDisputeDays, "paymentBehaviour.recentDisputeDays"),
            (thinFile.minHistoryDays, "thinFile.minHistoryDays"), (defaultRule.pastDueDays, "defaultRule.pastDueDays"),
            (limitPolicy.historyDays, "limitPolicy.historyDays"), (limitPolicy.paidWellMaxDays, "limitPolicy.paidWellMaxDays"),
            (collections?.latenessPeriodDays ?? 0, "collections.latenessPeriodDays"),
            (collections?.brokenPromiseWindowDays ?? 0, "collections.brokenPromiseWindowDays"),
        ] {
            try window(days, field)
        }
        for (index, riskClass) in reminders.riskClasses.enumerated() {
            for (position, step) in riskClass.steps.enumerated() {
                try window(step.offsetDays, "reminders.riskClasses[\(index)].steps[\(position)].offsetDays")
            }
        }

        try probability(combination.priorFloor, "combination.priorFloor")
        try probability(combination.priorCeiling, "combination.priorCeiling")
        guard combination.priorFloor < combination.priorCeiling else {
            throw fail("combination.priorCeiling", "must be greater than combination.priorFloor")
        }
        try probability(combination.pdFloor, "combination.pdFloor")
        try probability(combination.pdCeiling, "combination.pdCeiling")
        guard combination.pdFloor < combination.pdCeiling else {
            throw fail("combination.pdCeiling", "must be greater than combination.pdFloor")
        }

        let behaviour = paymentBehaviour
        guard behaviour.trailingDays > 0 else { throw fail("paymentBehaviour.trailingDays", "must be positive") }
        guard behaviour.recentDays > 0, behaviour.recentDays < behaviour.trailingDays else {
            throw fail("paymentBehaviour.recentDays", "must be positive and less than paymentBehaviour.trailingDays")
        }
        guard behaviour.lateThresholdDays >= 0 else { throw fail("paymentBehaviour.lateThresholdDays", "must not be negative") }
        guard behaviour.recentDisputeDays > 0 else { throw fail("paymentBehaviour.recentDisputeDays", "must be positive") }

        guard paymentIndexAnchors.count >= 2 else { throw fail("paymentIndexAnchors", "must hold at least two anchors") }
        for (index, anchor) in paymentIndexAnchors.enumerated() {
            let field = "paymentIndexAnchors[\(index)]"
            try finite(anchor.daysBeyondTerms, "\(field).daysBeyondTerms")
            guard anchor.index.isFinite, (1...100).contains(anchor.index) else {
                throw fail("\(field).index", "must be between 1 and 100")
            }
            if index > 0 {
                let previous = paymentIndexAnchors[index - 1]
                guard anchor.daysBeyondTerms > previous.daysBeyondTerms else {
                    throw fail("\(field).daysBeyondTerms", "must be greater than paymentIndexAnchors[\(index - 1)].daysBeyondTerms")
                }
                guard anchor.index <= previous.index else {
                    throw fail(
                        "\(field).index", "must not be greater than paymentIndexAnchors[\(index - 1)].index (paying later never scores better)")
                }
            }
        }

        guard financial.fullWeightMonths.isFinite, financial.fullWeightMonths >= 0 else {
            throw fail("financial.fullWeightMonths", "must not be negative")
        }
        guard financial.zeroWeightMonths.isFinite, financial.zeroWeightMonths > financial.fullWeightMonths else {
            throw fail("financial.zeroWeightMonths", "must be greater than financial.fullWeightMonths")
        }
        try finite(financial.distressBelow, "financial.distressBelow")
        guard financial.safeAbove.isFinite, financial.safeAbove > financial.distressBelow else {
            throw fail("financial.safeAbove", "must be greater than financial.distressBelow")
        }

        guard !components.rules.isEmpty else { throw fail("components", "must weigh at least one component") }
        for component in components.weighed {
            let field = "components.\(component.rawValue)"
            let rising = component.riskDirection == .increasing
            switch components[component] {
            case .linear(let transform):
                try finite(transform.weight, "\(field).weight")
                try finite(transform.reference, "\(field).reference")
                try finite(transform.minEffect, "\(field).minEffect")
                try finite(transform.maxEffect, "\(field).maxEffect")
                guard transform.minEffect <= transform.maxEffect else {
                    throw fail("\(field).minEffect", "must not be greater than \(field).maxEffect")
                }
                guard rising ? transform.weight >= 0 : transform.weight <= 0 else {
                    throw fail(
                        "\(field).weight",
                        "must be \(rising ? "positive or zero" : "negative or zero"): \(component.rawValue) can only make the risk \(rising ? "rise" : "fall") as it grows"
                    )
                }
            case .bins(let bins):
                guard !bins.edges.isEmpty, bins.effects.count == bins.edges.count + 1 else {
                    throw fail("\(field).effects", "must hold one effect more than \(field).edges")
                }
                for (index, edge) in bins.edges.enumerated() {
                    try finite(edge, "\(field).edges[\(index)]")
                    if index > 0, edge <= bins.edges[index - 1] {
                        throw fail("\(field).edges[\(index)]", "must be greater than \(field).edges[\(index - 1)]")
                    }
                }
                for (index, effect) in bins.effects.enumerated() {
                    try finite(effect, "\(field).effects[\(index)]")
                    if index > 0, rising ? effect < bins.effects[index - 1] : effect > bins.effects[index - 1] {
                        throw fail(
                            "\(field).effects[\(index)]",
                            "must not be \(rising ? "less" : "greater") than \(field).effects[\(index - 1)]: \(component.rawValue) can only make the risk \(rising ? "rise" : "fall") as it grows"
                        )
                    }
                }
            case nil:
                break
            }
        }
        if let weight = combination.priorWeight {
            guard weight.isFinite, weight >= 0 else { throw fail("combination.priorWeight", "must be zero or positive") }
        }
        if let calibration = combination.calibration {
            try finite(calibration.intercept, "combination.calibration.intercept")
            guard calibration.slope.isFinite, calibration.slope > 0 else {
                throw fail("combination.calibration.slope", "must be positive, so that a riskier customer never gets a lower PD")
            }
            for (index, knot) in (calibration.knots ?? []).enumerated() {
                let field = "combination.calibration.knots[\(index)]"
                try finite(knot.logOdds, "\(field).logOdds")
                try finite(knot.calibrated, "\(field).calibrated")
                if index > 0, let previous = calibration.knots?[index - 1],
                    knot.logOdds <= previous.logOdds || knot.calibrated <= previous.calibrated
                {
                    throw fail(
                        field,
                        "must be above combination.calibration.knots[\(index - 1)] in both log-odds, so that a riskier customer never gets a lower PD"
                    )
                }
            }
        }

        guard !gradeScale.isEmpty else { throw fail("gradeScale", "must hold at least one grade") }
        var codes = Set<String>()
        for (index, band) in gradeScale.enumerated() {
            let field = "gradeScale[\(index)]"
            let code = band.code.trimmingCharacters(in: .whitespaces)
            guard !code.isEmpty, code == band.code else { throw fail("\(field).code", "must be a code without spaces") }
            guard code != Grade.defaultCode else {
                throw fail("\(field).code", "must not be \"\(Grade.defaultCode)\", which is reserved for customers in default")
            }
            guard codes.insert(code).inserted else { throw fail("\(field).code", "repeats \"\(code)\"; codes must be unique") }
            guard band.maxPD.isFinite, band.maxPD > 0, band.maxPD <= 1 else {
                throw fail("\(field).maxPD", "must be a probability above 0 and at most 1")
            }
            if index > 0 {
                guard band.maxPD > gradeScale[index - 1].maxPD else {
                    throw fail("\(field).maxPD", "must be greater than gradeScale[\(index - 1)].maxPD")
                }
            }
        }
        guard gradeScale[gradeScale.count - 1].maxPD == 1 else {
            throw fail("gradeScale[\(gradeScale.count - 1)].maxPD", "must be 1, so that the worst grade takes every PD")
        }

        guard thinFile.minInvoices >= 0 else { throw fail("thinFile.minInvoices", "must not be negative") }
        guard thinFile.minHistoryDays >= 0 else { throw fail("thinFile.minHistoryDays", "must not be negative") }
        guard codes.contains(thinFile.bestGrade) else {
            throw fail("thinFile.bestGrade", "must be a code of gradeScale, not \"\(thinFile.bestGrade)\"")
        }

        guard defaultRule.pastDueDays > 0 else { throw fail("defaultRule.pastDueDays", "must be positive") }
        guard defaultRule.materialityAmount >= 0 else { throw fail("defaultRule.materialityAmount", "must not be negative") }
        try probability(defaultRule.materialityShare, "defaultRule.materialityShare", open: false)

        try probability(score.pdAtScore100, "score.pdAtScore100")
        try probability(score.pdAtScore0, "score.pdAtScore0")
        guard score.pdAtScore100 < score.pdAtScore0 else {
            throw fail("score.pdAtScore0", "must be greater than score.pdAtScore100")
        }

        guard limitPolicy.historyDays > 0 else { throw fail("limitPolicy.historyDays", "must be positive") }
        guard limitPolicy.paidWellMaxDays >= 0 else { throw fail("limitPolicy.paidWellMaxDays", "must not be negative") }
        guard (1...6).contains(limitPolicy.rounding.significantFigures) else {
            throw fail("limitPolicy.rounding.significantFigures", "must be between 1 and 6")
        }
        guard limitPolicy.rounding.minimumStep >= 1 else { throw fail("limitPolicy.rounding.minimumStep", "must be at least 1") }
        guard limitPolicy.grades.count == gradeScale.count else {
            throw fail("limitPolicy.grades", "must hold one entry per grade of gradeScale (\(gradeScale.count)), not \(limitPolicy.grades.count)")
        }
        for (index, rule) in limitPolicy.grades.enumerated() {
            let field = "limitPolicy.grades[\(index)]"
            guard rule.grade == gradeScale[index].code else {
                throw fail("\(field).grade", "must be \"\(gradeScale[index].code)\" (the grades in gradeScale's order), not \"\(rule.grade)\"")
            }
            for (name, value) in [("equityShare", rule.equityShare), ("revenueShare", rule.revenueShare), ("historyFactor", rule.historyFactor)] {
                guard value.isFinite, value >= 0 else { throw fail("\(field).\(name)", "must be a number not below 0") }
            }
            guard rule.maxLimit >= 0, rule.maxLimit <= 10_000_000_000 else {
                throw fail("\(field).maxLimit", "must be between 0 and 10 000 000 000")
            }
        }

        var classified = [String: String]()
        let allCodes = gradeScale.map(\.code) + [Grade.defaultCode]
        for (index, riskClass) in reminders.riskClasses.enumerated() {
            let field = "reminders.riskClasses[\(index)]"
            guard !riskClass.name.isEmpty else { throw fail("\(field).name", "must not be empty") }
            for (position, code) in riskClass.grades.enumerated() {
                guard allCodes.contains(code) else {
                    throw fail("\(field).grades[\(position)]", "\"\(code)\" is not a grade of gradeScale nor \"\(Grade.defaultCode)\"")
                }
                if let other = classified.updateValue(riskClass.name, forKey: code) {
                    throw fail("\(field).grades[\(position)]", "\"\(code)\" is already in risk class \"\(other)\"")
                }
            }
            guard !riskClass.steps.isEmpty else { throw fail("\(field).steps", "must hold at least one step") }
            for (position, rule) in riskClass.steps.enumerated() where position > 0 {
                let previous = riskClass.steps[position - 1]
                guard rule.offsetDays > previous.offsetDays else {
                    throw fail("\(field).steps[\(position)].offsetDays", "must be greater than \(field).steps[\(position - 1)].offsetDays")
                }
                guard rule.step.escalation > previous.step.escalation else {
                    throw fail("\(field).steps[\(position)].step", "must escalate after \(previous.step.rawValue)")
                }
            }
            for (position, rule) in riskClass.steps.enumerated() {
                if let gap = rule.minimumGapDays, !(0...365).contains(gap) {
                    throw fail("\(field).steps[\(position)].minimumGapDays", "must be between 0 and 365 days")
                }
                guard !rule.channel.isEmpty, rule.channel.count <= 40 else {
                    throw fail("\(field).steps[\(position)].channel", "must be a channel name of 1 to 40 characters")
                }
            }
        }
        if let missing = allCodes.first(where: { classified[$0] == nil }) {
            throw fail("reminders.riskClasses", "must place grade \"\(missing)\" in a risk class")
        }

        guard (0...730).contains(financial.publicationLagDays) else {
            throw fail("financial.publicationLagDays", "must be between 0 and 730 days")
        }

        for (kind, days) in disputeDeadlines.byKind.sorted(by: { $0.key < $1.key }) {
            guard DisputeKind(rawValue: kind) != nil else {
                throw fail("disputeDeadlines.byKind.\(kind)", "is not a dispute kind (\(DisputeKind.listed))")
            }
            guard days > 0 else { throw fail("disputeDeadlines.byKind.\(kind)", "must be a positive number of days") }
        }
        guard disputeDeadlines.otherKinds > 0 else { throw fail("disputeDeadlines.otherKinds", "must be a positive number of days") }

        if let collections {
            guard (0...60).contains(collections.promiseGraceDays) else {
                throw fail("collections.promiseGraceDays", "must be between 0 and 60 days")
            }
            guard collections.latenessPeriodDays > 0 else {
                throw fail("collections.latenessPeriodDays", "must be a positive number of days")
            }
            guard (0...1).contains(collections.notDueWeight) else {
                throw fail("collections.notDueWeight", "must be between 0 and 1 (an item not yet due never outranks one just due)")
            }
            guard collections.brokenPromiseWindowDays > 0 else {
                throw fail("collections.brokenPromiseWindowDays", "must be a positive number of days")
            }
            if let terms = collections.latePayment {
                guard !terms.legalRates.isEmpty else { throw fail("collections.latePayment.legalRates", "must hold at least one rate") }
                for (index, rate) in terms.legalRates.enumerated() where !(0...100).contains(rate.percent) || !rate.percent.isFinite {
                    throw fail("collections.latePayment.legalRates[\(index)].percent", "must be between 0 and 100")
                }
                guard terms.legalRateMultiplier.isFinite, (1...10).contains(terms.legalRateMultiplier) else {
                    throw fail("collections.latePayment.legalRateMultiplier", "must be between 1 and 10 (the law says 3)")
                }
                if let rate = terms.contractualRatePercent, !rate.isFinite || !(0...100).contains(rate) {
                    throw fail("collections.latePayment.contractualRatePercent", "must be between 0 and 100")
                }
                guard (0...1_000_000).contains(terms.recoveryIndemnity.cents) else {
                    throw fail("collections.latePayment.recoveryIndemnity", "must be between 0.00 and 10000.00")
                }
            }
        }
    }
}
