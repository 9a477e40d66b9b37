package io.sriov.deviceplugin.api.v1beta1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Served by kubelet on /var/lib/kubelet/device-plugins/kubelet.sock (legacy registration mode).
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class RegistrationGrpc {

  private RegistrationGrpc() {}

  public static final java.lang.String SERVICE_NAME = "v1beta1.Registration";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.RegisterRequest,
      io.sriov.deviceplugin.api.v1beta1.Empty> getRegisterMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Register",
      requestType = io.sriov.deviceplugin.api.v1beta1.RegisterRequest.class,
      responseType = io.sriov.deviceplugin.api.v1beta1.Empty.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.RegisterRequest,
      io.sriov.deviceplugin.api.v1beta1.Empty> getRegisterMethod() {
    io.grpc.MethodDescriptor<io.sriov.deviceplugin.api.v1beta1.RegisterRequest, io.sriov.deviceplugin.api.v1beta1.Empty> getRegisterMethod;
    if ((getRegisterMethod = RegistrationGrpc.getRegisterMethod) == null) {
      synchronized (RegistrationGrpc.class) {
        if ((getRegisterMethod = RegistrationGrpc.getRegisterMethod) == null) {
          RegistrationGrpc.getRegisterMethod = getRegisterMethod =
              io.grpc.MethodDescriptor.<io.sriov.deviceplugin.api.v1beta1.RegisterRequest, io.sriov.deviceplugin.api.v1beta1.Empty>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Register"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sriov.deviceplugin.api.v1beta1.RegisterRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sriov.deviceplugin.api.v1beta1.Empty.getDefaultInstance()))
              .setSchemaDescriptor(new RegistrationMethodDescriptorSupplier("Register"))
              .build();
        }
      }
    }
    return getRegisterMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static RegistrationStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RegistrationStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RegistrationStub>() {
        @java.lang.Override
        public RegistrationStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RegistrationStub(channel, callOptions);
        }
      };
    return RegistrationStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static RegistrationBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RegistrationBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RegistrationBlockingV2Stub>() {
        @java.lang.Override
        public RegistrationBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RegistrationBlockingV2Stub(channel, callOptions);
        }
      };
    return RegistrationBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static RegistrationBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RegistrationBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RegistrationBlockingStub>() {
        @java.lang.Override
        public RegistrationBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RegistrationBlockingStub(channel, callOptions);
        }
      };
    return RegistrationBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static RegistrationFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RegistrationFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RegistrationFutureStub>() {
        @java.lang.Override
        public RegistrationFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RegistrationFutureStub(channel, callOptions);
        }
      };
    return RegistrationFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Served by kubelet on /var/lib/kubelet/device-plugins/kubelet.sock (legacy registration mode).
   * </pre>
   */
  public interface AsyncService {

    /**
     */
    default void register(io.sriov.deviceplugin.api.v1beta1.RegisterRequest request,
        io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.Empty> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRegisterMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service Registration.
   * <pre>
   * Served by kubelet on /var/lib/kubelet/device-plugins/kubelet.sock (legacy registration mode).
   * </pre>
   */
  public static abstract class RegistrationImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return RegistrationGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service Registration.
   * <pre>
   * Served by kubelet on /var/lib/kubelet/device-plugins/kubelet.sock (legacy registration mode).
   * </pre>
   */
  public static final class RegistrationStub
      extends io.grpc.stub.AbstractAsyncStub<RegistrationStub> {
    private RegistrationStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RegistrationStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RegistrationStub(channel, callOptions);
    }

    /**
     */
    public void register(io.sriov.deviceplugin.api.v1beta1.RegisterRequest request,
        io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.Empty> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRegisterMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service Registration.
   * <pre>
   * Served by kubelet on /var/lib/kubelet/device-plugins/kubelet.sock (legacy registration mode).
   * </pre>
   */
  public static final class RegistrationBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<RegistrationBlockingV2Stub> {
    private RegistrationBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RegistrationBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RegistrationBlockingV2Stub(channel, callOptions);
    }

    /**
     */
    public io.sriov.deviceplugin.api.v1beta1.Empty register(io.sriov.deviceplugin.api.v1beta1.RegisterRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRegisterMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service Registration.
   * <pre>
   * Served by kubelet on /var/lib/kubelet/device-plugins/kubelet.sock (legacy registration mode).
   * </pre>
   */
  public static final class RegistrationBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<RegistrationBlockingStub> {
    private RegistrationBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RegistrationBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RegistrationBlockingStub(channel, callOptions);
    }

    /**
     */
    public io.sriov.deviceplugin.api.v1beta1.Empty register(io.sriov.deviceplugin.api.v1beta1.RegisterRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRegisterMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service Registration.
   * <pre>
   * Served by kubelet on /var/lib/kubelet/device-plugins/kubelet.sock (legacy registration mode).
   * </pre>
   */
  public static final class RegistrationFutureStub
      extends io.grpc.stub.AbstractFutureStub<RegistrationFutureStub> {
    private RegistrationFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RegistrationFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RegistrationFutureStub(channel, callOptions);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sriov.deviceplugin.api.v1beta1.Empty> register(
        io.sriov.deviceplugin.api.v1beta1.RegisterRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRegisterMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_REGISTER = 0;

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
        case METHODID_REGISTER:
          serviceImpl.register((io.sriov.deviceplugin.api.v1beta1.RegisterRequest) request,
              (io.grpc.stub.StreamObserver<io.sriov.deviceplugin.api.v1beta1.Empty>) responseObserver);
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
          getRegisterMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sriov.deviceplugin.api.v1beta1.RegisterRequest,
              io.sriov.deviceplugin.api.v1beta1.Empty>(
                service, METHODID_REGISTER)))
        .build();
  }

  private static abstract class RegistrationBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    RegistrationBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return io.sriov.deviceplugin.api.v1beta1.Api.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("Registration");
    }
  }

  private static final class RegistrationFileDescriptorSupplier
      extends RegistrationBaseDescriptorSupplier {
    RegistrationFileDescriptorSupplier() {}
  }

  private static final class RegistrationMethodDescriptorSupplier
      extends RegistrationBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    RegistrationMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (RegistrationGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new RegistrationFileDescriptorSupplier())
              .addMethod(getRegisterMethod())
              .build();
        }
      }
    }
    return result;
  }
}
