// Namespaces most of this project's files use (Xunit comes from tests/Directory.Build.props).
global using System.Net;
global using MassTransit;
global using Microsoft.EntityFrameworkCore;
global using Microsoft.Extensions.DependencyInjection;
global using Payments.Workflows.Components.Ledger;
global using Payments.Workflows.Components.Persistence;
global using Payments.Workflows.Contracts;
global using Payments.Workflows.Testing;
global using Payments.Workflows.Testing.Driving;
global using Payments.Workflows.Tests.Support;
