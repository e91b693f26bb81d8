using System.Text.Json;
using System.Text.Json.Nodes;
using Verification.Cases.Services;
using Verification.Forms.Services;

namespace Verification.Cases.Intake;

/// <summary>
/// Counter entry (R-3.1, G 8.1.2.5): the clerk fills in the declaration form (申报表, a form staff may
/// change) and makes the case from the submission. The fields the pipeline needs are read by their keys;
/// what the household declared is mapped onto the findings categories it is compared with.
/// </summary>
public static class DeclarationMapping
{
    public const string FormName = "household-declaration";

    /// <summary>Declaration field → findings category (monthly incomes; property amounts; counts of real estate and vehicles).</summary>
    public static readonly IReadOnlyDictionary<string, string> Declared = new Dictionary<string, string>
    {
        ["wageIncome"] = "income.wage",
        ["businessNetIncome"] = "income.business",
        ["propertyNetIncome"] = "income.property",
        ["transferIncome"] = "income.transfer",
        ["otherIncome"] = "income.other",
        ["realEstateCount"] = "property.realEstate",
        ["cashHoldings"] = "property.cash",
        ["depositsAndWealth"] = "property.deposit",
        ["securities"] = "property.securities",
        ["savingsInsurance"] = "property.savingsInsurance",
        ["internetFinance"] = "property.internetFinance",
        ["otherFinancialAssets"] = "property.otherFinancial",
        ["otherPhysicalValue"] = "property.otherPhysical",
        ["medicalExpense"] = "expenditure.medical",
        ["educationExpense"] = "expenditure.education",
    };

    public static (string? ServiceItem, HouseholdDraft Household) Read(string dataJson)
    {
        var data = JsonNode.Parse(dataJson) as JsonObject ?? [];
        var members = (data["members"] as JsonArray ?? []).OfType<JsonObject>().Select(m => new NewMember(
            Text(m, "name"), Text(m, "idNumber").ToUpperInvariant(), Text(m, "relation") is { Length: > 0 } r ? r : "97",
            m["coResident"] is not JsonValue c || c.GetValueKind() != JsonValueKind.False,
            m["maintenanceObligor"] is JsonValue o && o.GetValueKind() == JsonValueKind.True)).ToList();
        var declared = new Dictionary<string, decimal>();
        foreach (var (field, category) in Declared)
        {
            if (Verification.Cms.Text.SpreadsheetCells.Number(data[field]) is { } value)
            {
                declared[category] = value;
            }
        }

        // Vehicles are declared one by one; mobility vehicles of disabled persons do not count (G 7.3.1 b).
        declared["property.vehicle"] = (data["vehicles"] as JsonArray ?? []).OfType<JsonObject>().Count(v => v["mobilityVehicle"] is not JsonValue m || m.GetValueKind() != JsonValueKind.True);
        var applicantId = Text(data, "applicantIdNumber").ToUpperInvariant();
        var head = new HouseholdDraft(Text(data, "applicantName"), applicantId, null, null, Text(data, "residenceAddress"), members, declared);
        return (Text(data, "serviceItem") is { Length: > 0 } item ? item : null, head);
    }

    private static string Text(JsonObject node, string key) => node[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>().Trim() : string.Empty;
}

/// <summary>Offers "create a case" on a submitted declaration form.</summary>
public sealed class DeclarationCaseLink : ISubmissionLinkProvider
{
    public IEnumerable<SubmissionLink> LinksFor(string formName, string submissionId) =>
        formName == DeclarationMapping.FormName ? [new SubmissionLink("Create a verification case from this declaration", "~/cases/new?declaration=" + submissionId)] : [];
}
