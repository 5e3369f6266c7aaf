using Closely.BuildingBlocks.Localization;
using Closely.BuildingBlocks.Persistence;
using Closely.BuildingBlocks.Web;
using Closely.Intake;
using Closely.Intake.Clients;
using Closely.Intake.Pages;
using Closely.Intake.Persistence;
using Closely.Intake.Requests;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWebSecurity();  // first in the pipeline: forwarded headers of configured proxies only, security headers on every response
builder.AddIntakeServices();
builder.AddPrivacyCentre();

var app = builder.Build();

// Middleware, in this order, after the routing and the client API's authentication that WebApplication puts first:
app.UsePublicLanguages();                                  // the visitor's language, first, so that error pages speak it too
app.UseExceptionHandler();                                 // an API's failure becomes a problem document, a page's a readable page
app.UseStatusCodePages(PageNegotiation.WriteStatusAsync);  // an error status without a body: a page for a browser, else a problem document
app.UseRateLimiter();                                      // the request API, the privacy centre's forms, each API client

app.MapDefaultEndpoints();
app.MapRequestApi();
app.MapPrivacyCentre();
app.MapClientApi();

await app.RunOrMigrateAsync<IntakeDbContext>(args);
