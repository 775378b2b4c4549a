// Namespaces most of this project's files use.
global using System.Diagnostics;
global using System.Globalization;
global using MassTransit;
global using Microsoft.EntityFrameworkCore;
global using Payments.Workflows.Benchmarks.Infrastructure;
global using Payments.Workflows.Benchmarks.LedgerPosting;
global using Payments.Workflows.Benchmarks.Measurement;
global using Payments.Workflows.Benchmarks.PaymentLifecycle;
global using Payments.Workflows.Benchmarks.Reporting;
global using Payments.Workflows.Testing;
global using Payments.Workflows.Testing.Servers;
