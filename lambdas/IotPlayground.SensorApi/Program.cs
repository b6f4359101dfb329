using IotPlayground.Lambda.Functions;
using IotPlayground.Lambda.Runtime;

return await LambdaBootstrap.RunAsync(EmfMetrics.SensorApiService, SensorFunction.FromEnvironment);
