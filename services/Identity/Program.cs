using Closely.BuildingBlocks.Localization;
using Closely.BuildingBlocks.Persistence;
using Closely.BuildingBlocks.Web;
using Closely.Identity;
using Closely.Identity.Persistence;
using Closely.Identity.Verification;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWebSecurity();  // first in the pipeline: forwarded headers of configured proxies only, security headers on every response
builder.AddIdentityServices();

var app = builder.Build();

// Middleware, in this order, after the routing that WebApplication puts first:
app.UsePublicLanguages();  // the visitor's language, first, so that the rate limiter's page speaks it too
app.UseRateLimiter();      // the verification pages, per IP address

app.MapDefaultEndpoints();
app.MapVerificationPages();

await app.RunOrMigrateAsync<IdentityDbContext>(args);
