using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IotPlayground.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace IotPlayground.Api.Tests.Sweep;

/// <summary>
/// The container API's background sweep, on a clock the test moves: an abandoned run is closed in the database though
/// no request reads it. Lazy closing on a read is the domain's (tests/IotPlayground.Domain.Tests/Services/RunExpiry).
/// </summary>
public sealed class TheRunSweeper : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private WebApplicationFactory<Program>? _api;
    private string _database = "";

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync("sweep");
        _api = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseSetting("ConnectionStrings:Postgres", _database)
            .UseSetting("Grafana:BaseUrl", "https://grafana.test")
            .UseSetting("Logging:LogLevel:Default", "Warning")
            .ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_clock)));
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }

    [Fact]
    public async Task ClosesAnAbandonedRunThatNoRequestReadsOnceItsDeadlineHasPassed()
    {
        using var client = _api!.CreateClient();
        using var start = new HttpRequestMessage(HttpMethod.Post, "/api/runs/start") { Content = JsonContent.Create(new { duration = 60, interval = 5 }) };
        start.Headers.Add("X-User", "alice");
        using var started = await client.SendAsync(start);
        started.EnsureSuccessStatusCode();
        var id = Guid.Parse((string)JsonNode.Parse(await started.Content.ReadAsStringAsync())!["id"]!);
        Assert.Equal(("RUNNING", (string?)null), await StoredAsync(id));

        // Past the deadline (60 s + 10 s of grace) and past a tick of the sweep; nothing asks the API about the run.
        _clock.Advance(TimeSpan.FromSeconds(60 + 10 + 6));

        // The sweep runs on its own task once the clock ticks.
        var stored = await Eventually.Async(() => StoredAsync(id), row => row.Status == "COMPLETED", TimeSpan.FromSeconds(20), row => $"still {row}");
        Assert.Equal(("COMPLETED", "expired"), stored);
    }

    /// <summary>What the database holds, read past the API.</summary>
    private async Task<(string Status, string? EndReason)> StoredAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status, end_reason FROM runs WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }
}
