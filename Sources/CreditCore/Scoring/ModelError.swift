/// Why a scoring model file was refused. The message starts with the field's path in the file
/// (`gradeScale[3].maxPD`, `limitPolicy.grades[2].equityShare`), so whoever edits the file can go
/// straight to the line to fix.
public struct ModelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Path of the offending field, in the file's own names; empty when the file is not JSON at all.
    public var field: String
    /// A sentence naming the field and what it must be.
    public var message: String

    public var description: String { message }
}
