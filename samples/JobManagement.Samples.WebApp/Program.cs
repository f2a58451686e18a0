// The web sample: an order-fulfilment demo on the embedded SQLite journal (data/jobs.db under the
// project), with the job endpoints at /jobs-api and the dashboard at /jobs. Run it with
//   dotnet run --project samples/JobManagement.Samples.WebApp
// and open http://localhost:5080/jobs. Stop it and run it again: the jobs are still there.
using JobManagement;
using JobManagement.Samples.WebApp;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
IConfigurationSection demoSection = builder.Configuration.GetSection("Demo");
builder.Services.Configure<DemoOptions>(demoSection);
DemoOptions demo = demoSection.Get<DemoOptions>() ?? new DemoOptions();
string database = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, demo.Database));

builder.Services.AddJobEngine(jobs => jobs
    .UseSqliteJournal($"Data Source={database}")
    .AddHandler<FulfilOrderHandler, FulfilOrder, StockReserved>(OrderDesk.JobType, job => job
        .WithRetries(3, TimeSpan.FromSeconds(1))                    // Polly: the stock service's hiccup is retried
        .Expect("payment.captured", e => e.CorrelatedOn("orderId")) // then wait for the payment provider's webhook
        .Expect("parcel.delivered", e => e.CorrelatedOn("orderId")))); // and the carrier's
builder.Services.AddJobEndpoints();
builder.Services.AddHealthChecks().AddJobEngineHealthCheck();
builder.Services.AddSingleton<OrderDesk>();
builder.Services.AddHostedService<WebhookSimulator>();
builder.Services.AddHostedService<DemoSeeder>();

WebApplication app = builder.Build();
app.MapJobEndpoints("/jobs-api");        // local only: add .RequireAuthorization("policy") to open it up
app.MapJobDashboard("/jobs", "/jobs-api");
app.MapHealthChecks("/health");
DemoEndpoints.Map(app, "/jobs");

app.Lifetime.ApplicationStarted.Register(() =>
{
    string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
    Console.WriteLine($"Journal: {database}");
    Console.WriteLine($"Open {address}/jobs for the dashboard; {address}/ places orders.");
});

await app.RunAsync();

/// <summary>The entry point; public so the browser test can host it (WebApplicationFactory).</summary>
public partial class Program;
