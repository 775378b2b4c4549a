// Namespaces most of this project's files use.
global using System.Text;
global using MassTransit;
global using Microsoft.EntityFrameworkCore;
global using Microsoft.Extensions.DependencyInjection;
global using Payments.Workflows.Components.Ledger;
global using Payments.Workflows.Contracts;
global using Payments.Workflows.IntegrationTests.Fixtures;
global using Payments.Workflows.IntegrationTests.Support;
global using Payments.Workflows.Messaging.Persistence;
global using Payments.Workflows.Testing;
global using Payments.Workflows.Testing.Driving;
global using Payments.Workflows.Testing.Servers;
global using Xunit;
