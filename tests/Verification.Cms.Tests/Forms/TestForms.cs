using Verification.Forms.Models;

namespace Verification.Cms.Tests.Forms;

/// <summary>A small declaration form exercising conditions, a repeating group, calculations and rules.</summary>
public static class TestForms
{
    public const string DeclarationJson = """
        {
          "name": "declaration-test",
          "title": "居民家庭经济状况核对申报表（测试）",
          "pages": [
            {
              "title": "申请人",
              "fields": [
                { "key": "intro", "type": "note", "label": "请如实填写" },
                { "key": "applicantName", "type": "text", "label": "申请人姓名", "required": true, "maxLength": 50 },
                { "key": "applicantId", "type": "idNumber", "label": "公民身份号码", "required": true,
                  "validations": [ { "rule": "age(applicantId) >= 18", "message": { "zh-CN": "申请人须年满18周岁", "en": "The applicant must be at least 18" } } ] },
                { "key": "maritalStatus", "type": "choice", "label": "婚姻状况", "required": true,
                  "options": [ { "value": "single", "label": "未婚" }, { "value": "married", "label": "已婚" } ] },
                { "key": "spouseName", "type": "text", "label": "配偶姓名", "visibleIf": "maritalStatus == 'married'", "required": true },
                { "key": "monthlyIncome", "type": "money", "label": "月收入（元）", "min": 0 }
              ]
            },
            {
              "title": "家庭成员",
              "fields": [
                { "key": "members", "type": "group", "label": "家庭成员", "minRows": 1, "maxRows": 10, "fields": [
                  { "key": "name", "type": "text", "label": "姓名", "required": true },
                  { "key": "idNumber", "type": "idNumber", "label": "身份证号", "required": true },
                  { "key": "relation", "type": "choice", "label": "与申请人关系", "optionSet": "gbt4761", "required": true },
                  { "key": "income", "type": "money", "label": "月收入（元）" },
                  { "key": "age", "type": "calculated", "label": "年龄", "calculate": "age(idNumber)" }
                ] },
                { "key": "totalIncome", "type": "calculated", "label": "家庭月收入合计", "calculate": "sum(members.income)" }
              ]
            }
          ]
        }
        """;

    public static FormDocument Declaration => FormDocument.Parse(DeclarationJson);

    /// <summary>Publishes the test declaration on a tenant through a recipe's forms step (the Forms feature is enabled by the demo recipes).</summary>
    public static Task PublishAsync(Infrastructure.CmsHostFixture host, Infrastructure.TestTenant tenant) =>
        host.Setup.RunRecipeAsync(tenant.Name, Verification.Cms.Recipes.RecipeReader.Parse($$"""
            { "name": "forms-test", "steps": [ { "name": "forms", "forms": [ { "publish": true, "definition": {{DeclarationJson}} } ] } ] }
            """));
}
