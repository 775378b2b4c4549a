using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Payments.Workflows.Service.Security;

/// <summary>Declares the API key as an HTTP bearer scheme that every operation requires (health is not in the document).</summary>
internal sealed class BearerSecurityScheme : IOpenApiDocumentTransformer
{
    private const string Name = "apiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Name] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "sk_live_… or sk_test_…",
            Description = "A secret API key from 'api-keys create': a merchant key sees its own merchant's payments, an ops key reads all.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Name, document)] = [] });
        return Task.CompletedTask;
    }
}
