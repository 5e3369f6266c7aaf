using Closely.BuildingBlocks.Localization;
using Closely.BuildingBlocks.Persistence;
using Closely.Identity;
using Closely.Identity.Persistence;
using Closely.Identity.Verification;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIdentityServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UsePublicLanguages();
app.MapVerificationPages();

await app.RunOrMigrateAsync<IdentityDbContext>(args);
