namespace IotPlayground.Grafana.Tests;

/// <summary>A panel whose datasource uid is not provisioned shows "datasource not found" to every viewer.</summary>
public sealed class DatasourceTests
{
    [Theory]
    [MemberData(nameof(Architecture.All), MemberType = typeof(Architecture))]
    public void EveryPanelQueriesADatasourceThatIsProvisioned(string architecture)
    {
        var provisioned = Provisioning.Datasources(architecture);
        var used = Dashboard.Of(architecture).SelectMany(d =>
            d.Panels.Select(p => (Where: $"{d} › '{(string?)p["title"]}'", Ref: Dashboard.DatasourceOf(p)))
                .Concat(d.Queries.Select(q => (Where: q.ToString(), Ref: (DatasourceRef?)q.Datasource)))
                .Concat(d.Variables.Where(v => v["datasource"] is not null)
                    .Select(v => (Where: $"{d} › variable {(string?)v["name"]}", Ref: Dashboard.DatasourceOf(v)))))
            .ToList();

        Assert.NotEmpty(used);
        Assert.All(used, use =>
        {
            Assert.True(use.Ref?.Uid is not null, $"{use.Where} names no datasource uid: Grafana would pick the default one.");
            Assert.True(provisioned.Contains(use.Ref), $"{use.Where} uses {use.Ref}, which provisioning/{architecture} does not provision.");
        });
    }

    [Theory]
    [MemberData(nameof(Architecture.All), MemberType = typeof(Architecture))]
    public void EveryProvisionedDatasourceHasAFixedUid(string architecture) =>
        Assert.All(Provisioning.Datasources(architecture), ds => Assert.False(string.IsNullOrEmpty(ds.Uid)));

    [Theory]
    [MemberData(nameof(Architecture.All), MemberType = typeof(Architecture))]
    public void DashboardsHoldNoImportPlaceholders(string architecture) =>
        Assert.All(Dashboard.Of(architecture), d =>
        {
            var text = d.Json.ToJsonString();
            Assert.DoesNotContain("${DS_", text, StringComparison.Ordinal);
            Assert.Null(d.Json["__inputs"]);
        });

    [Theory]
    [MemberData(nameof(Architecture.All), MemberType = typeof(Architecture))]
    public void PanelIdsAreUniqueWithinADashboard(string architecture) =>
        Assert.All(Dashboard.Of(architecture), d =>
        {
            var ids = d.Panels.Select(p => (int?)p["id"]).ToList();
            Assert.DoesNotContain(null, ids);
            Assert.Equal(ids.Count, ids.Distinct().Count());
        });

    [Theory]
    [MemberData(nameof(Architecture.All), MemberType = typeof(Architecture))]
    public void DashboardsAreReadOnlyInGrafana(string architecture) =>
        Assert.All(Dashboard.Of(architecture), d => Assert.False((bool?)d.Json["editable"] ?? true, $"{d} is editable."));
}
