package io.sriov.deviceplugin.api.v1beta1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Served by each device plugin on its own socket.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class DevicePluginGrpc {

  private DevicePluginGrpc() {}

  public static final java.lang.String SERVICE_NAME = "v1beta1.DevicePlugin";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.Empty,
      io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions> getGetDevicePluginOptionsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetDevicePluginOptions",
      requestType = io.sriov.deviceplugin.api.v1beta1.Empty.class,
      responseType = io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.Empty,
      io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions> getGetDevicePluginOptionsMethod() {
    io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.Empty, io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions> getGetDevicePluginOptionsMethod;
    if ((getGetDevicePluginOptionsMethod = DevicePluginGrpc.getGetDevicePluginOptionsMethod) == null) {
      synchronized (DevicePluginGrpc.class) {
        if ((getGetDevicePluginOptionsMethod = DevicePluginGrpc.getGetDevicePluginOptionsMethod) == null) {
          DevicePluginGrpc.getGetDevicePluginOptionsMethod = getGetDevicePluginOptionsMethod =
              io.grpc.MethodDescriptor.<io.sriov.deviceplugin.api.v1beta1.Empty, io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetDevicePluginOptions"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sriov.deviceplugin.api.v1beta1.Empty.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions.getDefaultInstance()))
              .setSchemaDescriptor(new DevicePluginMethodDescriptorSupplier("GetDevicePluginOptions"))
              .build();
        }
      }
    }
    return getGetDevicePluginOptionsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.Empty,
      io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse> getListAndWatchMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListAndWatch",
      requestType = io.sriov.deviceplugin.api.v1beta1.Empty.class,
      responseType = io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.Empty,
      io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse> getListAndWatchMethod() {
    io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.Empty, io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse> getListAndWatchMethod;
    if ((getListAndWatchMethod = DevicePluginGrpc.getListAndWatchMethod) == null) {
      synchronized (DevicePluginGrpc.class) {
        if ((getListAndWatchMethod = DevicePluginGrpc.getListAndWatchMethod) == null) {
          DevicePluginGrpc.getListAndWatchMethod = getListAndWatchMethod =
              io.grpc.MethodDescriptor.<io.sriov.deviceplugin.api.v1beta1.Empty, io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListAndWatch"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sriov.deviceplugin.api.v1beta1.Empty.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse.getDefaultInstance()))
              .setSchemaDescriptor(new DevicePluginMethodDescriptorSupplier("ListAndWatch"))
              .build();
        }
      }
    }
    return getListAndWatchMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.PreferredAllocationRequest,
      io.sriov.deviceplugin.api.v1beta1.PreferredAllocationResponse> getGetPreferredAllocationMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetPreferredAllocation",
      requestType = io.sriov.deviceplugin.api.v1beta1.PreferredAllocationRequest.class,
      responseType = io.sriov.deviceplugin.api.v1beta1.PreferredAllocationResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.PreferredAllocationRequest,
      io.sriov.deviceplugin.api.v1beta1.PreferredAllocationResponse> getGetPreferredAllocationMethod() {
    io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.PreferredAllocationRequest, io.sriov.deviceplugin.api.v1beta1.PreferredAllocationResponse> getGetPreferredAllocationMethod;
    if ((getGetPreferredAllocationMethod = DevicePluginGrpc.getGetPreferredAllocationMethod) == null) {
      synchronized (DevicePluginGrpc.class) {
        if ((getGetPreferredAllocationMethod = DevicePluginGrpc.getGetPreferredAllocationMethod) == null) {
          DevicePluginGrpc.getGetPreferredAllocationMethod = getGetPreferredAllocationMethod =
              io.grpc.MethodDescriptor.<io.sriov.deviceplugin.api.v1beta1.PreferredAllocationRequest, io.sriov.deviceplugin.api.v1beta1.PreferredAllocationResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetPreferredAllocation"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sriov.deviceplugin.api.v1beta1.PreferredAllocationRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sriov.deviceplugin.api.v1beta1.PreferredAllocationResponse.getDefaultInstance()))
              .setSchemaDescriptor(new DevicePluginMethodDescriptorSupplier("GetPreferredAllocation"))
              .build();
        }
      }
    }
    return getGetPreferredAllocationMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.AllocateRequest,
      io.sriov.deviceplugin.api.v1beta1.AllocateResponse> getAllocateMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Allocate",
      requestType = io.sriov.deviceplugin.api.v1beta1.AllocateRequest.class,
      responseType = io.sriov.deviceplugin.api.v1beta1.AllocateResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.AllocateRequest,
      io.sriov.deviceplugin.api.v1beta1.AllocateResponse> getAllocateMethod() {
    io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.AllocateRequest, io.sriov.deviceplugin.api.v1beta1.AllocateResponse> getAllocateMethod;
    if ((getAllocateMethod = DevicePluginGrpc.getAllocateMethod) == null) {
      synchronized (DevicePluginGrpc.class) {
        if ((getAllocateMethod = DevicePluginGrpc.getAllocateMethod) == null) {
          DevicePluginGrpc.getAllocateMethod = getAllocateMethod =
              io.grpc.MethodDescriptor.<io.sriov.deviceplugin.api.v1beta1.AllocateRequest, io.sriov.deviceplugin.api.v1beta1.AllocateResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Allocate"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sriov.deviceplugin.api.v1beta1.AllocateRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sriov.deviceplugin.api.v1beta1.AllocateResponse.getDefaultInstance()))
              .setSchemaDescriptor(new DevicePluginMethodDescriptorSupplier("Allocate"))
              .build();
        }
      }
    }
    return getAllocateMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.PreStartContainerRequest,
      io.sriov.deviceplugin.api.v1beta1.PreStartContainerResponse> getPreStartContainerMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "PreStartContainer",
      requestType = io.sriov.deviceplugin.api.v1beta1.PreStartContainerRequest.class,
      responseType = io.sriov.deviceplugin.api.v1beta1.PreStartContainerResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.PreStartContainerRequest,
      io.sriov.deviceplugin.api.v1beta1.PreStartContainerResponse> getPreStartContainerMethod() {
    io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.PreStartContainerRequest, io.sriov.deviceplugin.api.v1beta1.PreStartContainerResponse> getPreStartContainerMethod;
    if ((getPreStartContainerMethod = DevicePluginGrpc.getPreStartContainerMethod) == null) {
      synchronized (DevicePluginGrpc.class) {
        if ((getPreStartContainerMethod = DevicePluginGrpc.getPreStartContainerMethod) == null) {
          DevicePluginGrpc.getPreStartContainerMethod = getPreStartContainerMethod =
              io.grpc.MethodDescriptor.<io.sriov.deviceplugin.api.v1beta1.PreStartContainerRequest, io.sriov.deviceplugin.api.v1beta1.PreStartContainerResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "PreStartContainer"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sriov.deviceplugin.api.v1beta1.PreStartContainerRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sriov.deviceplugin.api.v1beta1.PreStartContainerResponse.getDefaultInstance()))
              .setSchemaDescriptor(new DevicePluginMethodDescriptorSupplier("PreStartContainer"))
              .build();
        }
      }
    }
    return getPreStartContainerMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static DevicePluginStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<DevicePluginStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<DevicePluginStub>() {
        @java.lang.Override
        public DevicePluginStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new DevicePluginStub(channel, callOptions);
        }
      };
    return DevicePluginStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static DevicePluginBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<DevicePluginBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<DevicePluginBlockingV2Stub>() {
        @java.lang.Override
        public DevicePluginBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new DevicePluginBlockingV2Stub(channel, callOptions);
        }
      };
    return DevicePluginBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static DevicePluginBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<DevicePluginBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<DevicePluginBlockingStub>() {
        @java.lang.Override
        public DevicePluginBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new DevicePluginBlockingStub(channel, callOptions);
        }
      };
    return DevicePluginBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static DevicePluginFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<DevicePluginFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<DevicePluginFutureStub>() {
        @java.lang.Override
        public DevicePluginFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new DevicePluginFutureStub(channel, callOptions);
        }
      };
    return DevicePluginFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Served by each device plugin on its own socket.
   * </pre>
   */
  public interface AsyncService {

    /**
     */
    default void getDevicePluginOptions(io.sriov.deviceplugin.api.v1beta1.Empty request,
        io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetDevicePluginOptionsMethod(), responseObserver);
    }

    /**
     * <pre>
     * A stream of full device lists; a new list is sent whenever any device changes.
     * </pre>
     */
    default void listAndWatch(io.sriov.deviceplugin.api.v1beta1.Empty request,
        io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListAndWatchMethod(), responseObserver);
    }

    /**
     */
    default void getPreferredAllocation(io.sriov.deviceplugin.api.v1beta1.PreferredAllocationRequest request,
        io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.PreferredAllocationResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetPreferredAllocationMethod(), responseObserver);
    }

    /**
     */
    default void allocate(io.sriov.deviceplugin.api.v1beta1.AllocateRequest request,
        io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.AllocateResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getAllocateMethod(), responseObserver);
    }

    /**
     */
    default void preStartContainer(io.sriov.deviceplugin.api.v1beta1.PreStartContainerRequest request,
        io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.PreStartContainerResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getPreStartContainerMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service DevicePlugin.
   * <pre>
   * Served by each device plugin on its own socket.
   * </pre>
   */
  public static abstract class DevicePluginImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return DevicePluginGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service DevicePlugin.
   * <pre>
   * Served by each device plugin on its own socket.
   * </pre>
   */
  public static final class DevicePluginStub
      extends io.grpc.stub.AbstractAsyncStub<DevicePluginStub> {
    private DevicePluginStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected DevicePluginStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new DevicePluginStub(channel, callOptions);
    }

    /**
     */
    public void getDevicePluginOptions(io.sriov.deviceplugin.api.v1beta1.Empty request,
        io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetDevicePluginOptionsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * A stream of full device lists; a new list is sent whenever any device changes.
     * </pre>
     */
    public void listAndWatch(io.sriov.deviceplugin.api.v1beta1.Empty request,
        io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getListAndWatchMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void getPreferredAllocation(io.sriov.deviceplugin.api.v1beta1.PreferredAllocationRequest request,
        io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.PreferredAllocationResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetPreferredAllocationMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void allocate(io.sriov.deviceplugin.api.v1beta1.AllocateRequest request,
        io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.AllocateResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getAllocateMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void preStartContainer(io.sriov.deviceplugin.api.v1beta1.PreStartContainerRequest request,
        io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.PreStartContainerResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getPreStartContainerMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service DevicePlugin.
   * <pre>
   * Served by each device plugin on its own socket.
   * </pre>
   */
  public static final class DevicePluginBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<DevicePluginBlockingV2Stub> {
    private DevicePluginBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected DevicePluginBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new DevicePluginBlockingV2Stub(channel, callOptions);
    }

    /**
     */
    public io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions getDevicePluginOptions(io.sriov.deviceplugin.api.v1beta1.Empty request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetDevicePluginOptionsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * A stream of full device lists; a new list is sent whenever any device changes.
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<?, io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse>
        listAndWatch(io.sriov.deviceplugin.api.v1beta1.Empty request) {
      return io.grpc.stub.ClientCalls.blockingV2ServerStreamingCall(
          getChannel(), getListAndWatchMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sriov.deviceplugin.api.v1beta1.PreferredAllocationResponse getPreferredAllocation(io.sriov.deviceplugin.api.v1beta1.PreferredAllocationRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetPreferredAllocationMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sriov.deviceplugin.api.v1beta1.AllocateResponse allocate(io.sriov.deviceplugin.api.v1beta1.AllocateRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getAllocateMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sriov.deviceplugin.api.v1beta1.PreStartContainerResponse preStartContainer(io.sriov.deviceplugin.api.v1beta1.PreStartContainerRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getPreStartContainerMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service DevicePlugin.
   * <pre>
   * Served by each device plugin on its own socket.
   * </pre>
   */
  public static final class DevicePluginBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<DevicePluginBlockingStub> {
    private DevicePluginBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected DevicePluginBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new DevicePluginBlockingStub(channel, callOptions);
    }

    /**
     */
    public io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions getDevicePluginOptions(io.sriov.deviceplugin.api.v1beta1.Empty request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetDevicePluginOptionsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * A stream of full device lists; a new list is sent whenever any device changes.
     * </pre>
     */
    public java.util.Iterator<io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse> listAndWatch(
        io.sriov.deviceplugin.api.v1beta1.Empty request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getListAndWatchMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sriov.deviceplugin.api.v1beta1.PreferredAllocationResponse getPreferredAllocation(io.sriov.deviceplugin.api.v1beta1.PreferredAllocationRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetPreferredAllocationMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sriov.deviceplugin.api.v1beta1.AllocateResponse allocate(io.sriov.deviceplugin.api.v1beta1.AllocateRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getAllocateMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sriov.deviceplugin.api.v1beta1.PreStartContainerResponse preStartContainer(io.sriov.deviceplugin.api.v1beta1.PreStartContainerRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getPreStartContainerMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service DevicePlugin.
   * <pre>
   * Served by each device plugin on its own socket.
   * </pre>
   */
  public static final class DevicePluginFutureStub
      extends io.grpc.stub.AbstractFutureStub<DevicePluginFutureStub> {
    private DevicePluginFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected DevicePluginFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new DevicePluginFutureStub(channel, callOptions);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions> getDevicePluginOptions(
        io.sriov.deviceplugin.api.v1beta1.Empty request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetDevicePluginOptionsMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sriov.deviceplugin.api.v1beta1.PreferredAllocationResponse> getPreferredAllocation(
        io.sriov.deviceplugin.api.v1beta1.PreferredAllocationRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetPreferredAllocationMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sriov.deviceplugin.api.v1beta1.AllocateResponse> allocate(
        io.sriov.deviceplugin.api.v1beta1.AllocateRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getAllocateMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sriov.deviceplugin.api.v1beta1.PreStartContainerResponse> preStartContainer(
        io.sriov.deviceplugin.api.v1beta1.PreStartContainerRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getPreStartContainerMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_GET_DEVICE_PLUGIN_OPTIONS = 0;
  private static final int METHODID_LIST_AND_WATCH = 1;
  private static final int METHODID_GET_PREFERRED_ALLOCATION = 2;
  private static final int METHODID_ALLOCATE = 3;
  private static final int METHODID_PRE_START_CONTAINER = 4;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_GET_DEVICE_PLUGIN_OPTIONS:
          serviceImpl.getDevicePluginOptions((io.sriov.deviceplugin.api.v1beta1.Empty) request,
              (io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions>) responseObserver);
          break;
        case METHODID_LIST_AND_WATCH:
          serviceImpl.listAndWatch((io.sriov.deviceplugin.api.v1beta1.Empty) request,
              (io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse>) responseObserver);
          break;
        case METHODID_GET_PREFERRED_ALLOCATION:
          serviceImpl.getPreferredAllocation((io.sriov.deviceplugin.api.v1beta1.PreferredAllocationRequest) request,
              (io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.PreferredAllocationResponse>) responseObserver);
          break;
        case METHODID_ALLOCATE:
          serviceImpl.allocate((io.sriov.deviceplugin.api.v1beta1.AllocateRequest) request,
              (io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.AllocateResponse>) responseObserver);
          break;
        case METHODID_PRE_START_CONTAINER:
          serviceImpl.preStartContainer((io.sriov.deviceplugin.api.v1beta1.PreStartContainerRequest) request,
              (io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.PreStartContainerResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getGetDevicePluginOptionsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sriov.deviceplugin.api.v1beta1.Empty,
              io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions>(
                service, METHODID_GET_DEVICE_PLUGIN_OPTIONS)))
        .addMethod(
          getListAndWatchMethod(),
          io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            new MethodHandlers<
              io.sriov.deviceplugin.api.v1beta1.Empty,
              io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse>(
                service, METHODID_LIST_AND_WATCH)))
        .addMethod(
          getGetPreferredAllocationMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sriov.deviceplugin.api.v1beta1.PreferredAllocationRequest,
              io.sriov.deviceplugin.api.v1beta1.PreferredAllocationResponse>(
                service, METHODID_GET_PREFERRED_ALLOCATION)))
        .addMethod(
          getAllocateMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sriov.deviceplugin.api.v1beta1.AllocateRequest,
              io.sriov.deviceplugin.api.v1beta1.AllocateResponse>(
                service, METHODID_ALLOCATE)))
        .addMethod(
          getPreStartContainerMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sriov.deviceplugin.api.v1beta1.PreStartContainerRequest,
              io.sriov.deviceplugin.api.v1beta1.PreStartContainerResponse>(
                service, METHODID_PRE_START_CONTAINER)))
        .build();
  }

  private static abstract class DevicePluginBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    DevicePluginBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return io.sriov.deviceplugin.api.v1beta1.Api.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("DevicePlugin");
    }
  }

  private static final class DevicePluginFileDescriptorSupplier
      extends DevicePluginBaseDescriptorSupplier {
    DevicePluginFileDescriptorSupplier() {}
  }

  private static final class DevicePluginMethodDescriptorSupplier
      extends DevicePluginBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    DevicePluginMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (DevicePluginGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new DevicePluginFileDescriptorSupplier())
              .addMethod(getGetDevicePluginOptionsMethod())
              .addMethod(getListAndWatchMethod())
              .addMethod(getGetPreferredAllocationMethod())
              .addMethod(getAllocateMethod())
              .addMethod(getPreStartContainerMethod())
              .build();
        }
      }
    }
    return result;
  }
}
