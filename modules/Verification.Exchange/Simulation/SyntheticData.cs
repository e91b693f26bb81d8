using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Verification.Exchange.Catalogue;
using Verification.Exchange.Contract;

namespace Verification.Exchange.Simulation;

/// <summary>
/// Deterministic synthetic answers: the same ID number always gets the same vehicles, deposits,
/// employer … (the seed is a hash of the ID number and the data item). About one household in
/// five is "well-off" — larger deposits, a car, a business — so comparisons find differences.
/// </summary>
public static class SyntheticData
{
    private static readonly string[] Banks = ["中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "交通银行", "中国邮政储蓄银行", "招商银行", "广州农村商业银行", "江苏银行", "湖北银行"];
    private static readonly string[] Employers = ["广州市越秀区环卫服务中心", "武汉某物流有限公司", "常州市天宁区物业管理有限公司", "某餐饮管理有限公司", "某电子科技有限公司", "某建筑劳务有限公司", "某商贸有限公司", "某保安服务有限公司"];
    private static readonly string[] CarBrands = ["比亚迪 秦", "大众 朗逸", "丰田 卡罗拉", "五菱 宏光", "吉利 帝豪", "本田 飞度", "长安 逸动"];
    private static readonly string[] Streets = ["解放路", "人民路", "中山路", "建设大道", "和平街", "新华路", "沿江大道"];
    private static readonly Dictionary<string, string> PlatePrefix = new() { ["44"] = "粤A", ["42"] = "鄂A", ["32"] = "苏D", ["11"] = "京A", ["31"] = "沪A" };

    /// <summary>Whether the household of this ID number is one of the well-off fifth (the same for every data item).</summary>
    public static bool WellOff(string idNumber) => Seed(idNumber, "household") % 5 == 0;

    /// <summary>The records a provider holds about the subject for the data item (possibly none).</summary>
    public static IReadOnlyList<DataRecord> For(string idNumber, string subjectName, CatalogueItem item)
    {
        var random = new Random(Seed(idNumber, item.Code));
        var wellOff = WellOff(idNumber);
        var count = RecordCount(item, random, wellOff);
        var records = new List<DataRecord>();
        for (var i = 0; i < count; i++)
        {
            var fields = new JsonObject();
            foreach (var field in item.Fields)
            {
                fields[field.Key] = Value(field, item, idNumber, subjectName, random, wellOff, item.AmountField == field.Key);
            }

            records.Add(new DataRecord(item.Code, fields));
        }

        return records;
    }

    private static int RecordCount(CatalogueItem item, Random random, bool wellOff)
    {
        var group = item.Category.Split('.')[0];
        var roll = random.Next(100);
        return group switch
        {
            // Identity facts exist for everybody.
            "basic" when item.Code.EndsWith(".hukou.registration", StringComparison.Ordinal) => 1,
            "basic" => roll < 25 ? 1 : 0,
            "income" => roll < (wellOff ? 80 : 45) ? 1 : 0,
            "property" => roll < (wellOff ? 70 : 15) ? (wellOff && roll < 20 ? 2 : 1) : 0,
            "expenditure" => roll < 60 ? 1 : 0,
            _ => roll < 15 ? 1 : 0,
        };
    }

    private static JsonNode? Value(CatalogueField field, CatalogueItem item, string idNumber, string name, Random random, bool wellOff, bool isAmount)
    {
        switch (field.Type)
        {
            case "money":
                return JsonValue.Create(Amount(item.Category, random, wellOff, isAmount));
            case "number":
                return JsonValue.Create(random.Next(1, wellOff ? 6 : 3));
            case "boolean":
                return JsonValue.Create(random.Next(2) == 0);
            case "date":
                return DateOnly.FromDateTime(new DateTime(2026, 10, 1).AddDays(-random.Next(30, 3650))).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            default:
                return Text(field, idNumber, name, random);
        }
    }

    private static decimal Amount(string category, Random random, bool wellOff, bool isAmount)
    {
        // Monthly amounts for income and expenditure, balances and values for property (元, 2 decimals).
        var (low, high) = category switch
        {
            var c when c.StartsWith("income.wage", StringComparison.Ordinal) => wellOff ? (6000, 15000) : (1800, 4500),
            var c when c.StartsWith("income", StringComparison.Ordinal) => wellOff ? (2000, 8000) : (300, 2500),
            var c when c.Contains("deposit", StringComparison.Ordinal) => wellOff ? (80000, 400000) : (200, 15000),
            var c when c.Contains("vehicle", StringComparison.Ordinal) => wellOff ? (90000, 260000) : (15000, 60000),
            var c when c.Contains("estate", StringComparison.Ordinal) || c.Contains("house", StringComparison.Ordinal) => wellOff ? (800000, 3000000) : (150000, 600000),
            var c when c.StartsWith("property", StringComparison.Ordinal) => wellOff ? (30000, 200000) : (500, 20000),
            var c when c.StartsWith("expenditure", StringComparison.Ordinal) => wellOff ? (300, 1500) : (40, 400),
            _ => (100, 5000),
        };
        var value = low + (decimal)random.NextDouble() * (high - low);
        return isAmount ? decimal.Round(value, 2) : decimal.Round(value / 10, 2);
    }

    private static string Text(CatalogueField field, string idNumber, string name, Random random)
    {
        var key = field.Key.ToLowerInvariant();
        var label = field.Label;
        if (key.Contains("bank", StringComparison.Ordinal) || label.Contains("银行", StringComparison.Ordinal) || label.Contains("机构", StringComparison.Ordinal))
        {
            return Banks[random.Next(Banks.Length)];
        }

        if (key.Contains("plate", StringComparison.Ordinal) || label.Contains("号牌", StringComparison.Ordinal) || label.Contains("车牌", StringComparison.Ordinal))
        {
            return PlatePrefix.GetValueOrDefault(idNumber[..2], "京A") + random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture);
        }

        if (key.Contains("model", StringComparison.Ordinal) || label.Contains("品牌", StringComparison.Ordinal) || label.Contains("型号", StringComparison.Ordinal))
        {
            return CarBrands[random.Next(CarBrands.Length)];
        }

        if (key.Contains("employer", StringComparison.Ordinal) || key.Contains("company", StringComparison.Ordinal) || label.Contains("单位", StringComparison.Ordinal) || label.Contains("企业", StringComparison.Ordinal))
        {
            return Employers[random.Next(Employers.Length)];
        }

        if (key.Contains("address", StringComparison.Ordinal) || label.Contains("地址", StringComparison.Ordinal) || label.Contains("坐落", StringComparison.Ordinal) || label.Contains("住址", StringComparison.Ordinal))
        {
            return $"{Streets[random.Next(Streets.Length)]}{random.Next(1, 300)}号{random.Next(1, 30)}{random.Next(1, 4)}0{random.Next(1, 9)}室";
        }

        if (key.Contains("name", StringComparison.Ordinal) || label.Contains("姓名", StringComparison.Ordinal))
        {
            return name;
        }

        if (key.Contains("id", StringComparison.Ordinal) && label.Contains("身份", StringComparison.Ordinal))
        {
            return idNumber;
        }

        if (key.Contains("number", StringComparison.Ordinal) || key.EndsWith("no", StringComparison.Ordinal) || label.Contains("编号", StringComparison.Ordinal) || label.Contains("号码", StringComparison.Ordinal) || label.Contains("证号", StringComparison.Ordinal))
        {
            return random.NextInt64(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        }

        return label + "（" + (random.Next(3) switch { 0 => "正常", 1 => "有效", _ => "已登记" }) + "）";
    }

    private static int Seed(string idNumber, string item) =>
        BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(idNumber + "|" + item)), 0) & int.MaxValue;
}
