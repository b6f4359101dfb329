using IotPlayground.Lambda.Functions;
using IotPlayground.Lambda.Runtime;

return await LambdaBootstrap.RunAsync(EmfMetrics.RunApiService, RunFunction.FromEnvironment);
