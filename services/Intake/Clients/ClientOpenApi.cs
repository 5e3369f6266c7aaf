using Closely.Intake.Requests;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Closely.Intake.Clients;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>): the public request API and the client API with its
/// API key scheme and Idempotency-Key header. Only <c>/api/</c> routes are described.
/// </summary>
public static class ClientOpenApi
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddIntakeOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Closely privacy centre API";
                document.Info.Description =
                    "POST /api/requests takes a data subject's own request. The client API (/api/client/v1) takes " +
                    "requests that client companies forward, authenticated with the client's API key, and calls the " +
                    "client back, signed, after every status change.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ClientApiKeyHandler.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ClientApiKeyHandler.HeaderName,
                    Description = "The client's API key, issued by Closely.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var path = context.Description.RelativePath?.TrimEnd('/') ?? "";
                var method = context.Description.HttpMethod;
                if (path.StartsWith(ClientApi.BasePath.TrimStart('/'), StringComparison.Ordinal))
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(ClientApiKeyHandler.SchemeName, context.Document)] = [],
                    });
                    if (method == HttpMethods.Post)
                    {
                        operation.Parameters ??= [];
                        operation.Parameters.Add(new OpenApiParameter
                        {
                            Name = IdempotencyKey.HeaderName,
                            In = ParameterLocation.Header,
                            Required = true,
                            Description = $"Unique per request, the same for its retries; at most {IdempotencyKey.MaxLength} printable ASCII characters.",
                            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyKey.MaxLength },
                        });
                    }
                }
                else if (path == "api/requests" && method == HttpMethods.Post && operation.RequestBody is null)
                {
                    // The public endpoint reads its body itself (to bound its size), so nothing declares it.
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(SubmitRequest), null, cancellationToken) },
                        },
                    };
                }
            });
        });
}
