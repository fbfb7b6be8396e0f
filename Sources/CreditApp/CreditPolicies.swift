import CreditCore
import Foundation

/// The credit team's rules beside the scoring model, each a versioned file in `Models/`: who may
/// set which limit (`approval-authorities-v2.json`) and how often limits are reviewed
/// (`review-policy-v1.json`). Read and validated once, at start.
public struct CreditPolicies: Sendable {
    public var authorities: ApprovalAuthorities
    public var reviews: ReviewPolicy

    public static let authoritiesFileName = "approval-authorities-v2.json"
    public static let reviewPolicyFileName = "review-policy-v1.json"

    /// Loads both files from `directory` (by default the folder of the model file, `Models/`),
    /// the review policy checked against `model`'s grades and the authorities' roles against
    /// `roles` when given. Errors name the file and the field.
    public static func load(directory: String, model: ScoringModel, roles: [String]? = nil) throws -> CreditPolicies {
        func read(_ name: String) throws -> (path: String, data: Data) {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ModelFileError(path: path, message: "cannot be read (it sits beside the scoring model, in Models/)")
            }
            return (path, data)
        }
        let authorities = try read(authoritiesFileName)
        let reviews = try read(reviewPolicyFileName)
        do {
            return CreditPolicies(
                authorities: try ApprovalAuthorities.decode(from: authorities.data, roles: roles),
                reviews: try decodeReviews(reviews.data, model: model, path: reviews.path))
        } catch let error as ModelError {
            throw ModelFileError(path: authorities.path, message: error.message)
        }
    }

    private static func decodeReviews(_ data: Data, model: ScoringModel, path: String) throws -> ReviewPolicy {
        do {
            return try ReviewPolicy.decode(from: data, model: model)
        } catch {
            throw ModelFileError(path: path, message: error.message)
        }
    }

    /// As `load`, or nil when neither file is in `directory` (then limits cannot be set by
    /// people: such requests are refused as unavailable). One file without the other, or an
    /// invalid file, is an error.
    public static func loadIfPresent(directory: String, model: ScoringModel, roles: [String]? = nil) throws -> CreditPolicies? {
        let folder = URL(fileURLWithPath: directory)
        let present = [authoritiesFileName, reviewPolicyFileName].filter {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
        }
        guard !present.isEmpty else { return nil }
        return try load(directory: directory, model: model, roles: roles)
    }

    /// The folder of the model file `modelPath`: where the policies are looked for.
    public static func directory(besideModel modelPath: String) -> String {
        URL(fileURLWithPath: modelPath).deletingLastPathComponent().path
    }
}

extension RequestUseCase {
    /// The credit policies, or a refusal (`unavailable`) when the service started without them.
    func requirePolicies() throws(Refusal) -> CreditPolicies {
        guard let policies = resources.policies else {
            throw Refusal(
                .unavailable,
                "limits set by people need the approval authorities and review policy (Models/\(CreditPolicies.authoritiesFileName), "
                    + "Models/\(CreditPolicies.reviewPolicyFileName)), which were not found beside the scoring model",
                code: "policies-unavailable")
        }
        return policies
    }
}
